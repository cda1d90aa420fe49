using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// How a fresh connection's context is rebuilt from the conversation, per model family: the history turns, whether
/// they end the initial-history phase (3.1: turnComplete:true, announced by the setup's historyConfig), and, on 3.1,
/// the input a lost reply answered, held back from the history to be asked again as realtime text (history is never
/// answered there).
/// </summary>
/// <param name="Frames">The images the Router still has, each a video frame in its place among the turns.</param>
internal sealed record GeminiContextSeed(List<PendingTurn> Turns, bool EndsHistory, string? AskAgain, List<HistoryFrame> Frames)
{
    public static GeminiContextSeed Plan(
        IReadOnlyList<ConversationItem> items, LocalConversation conversation, GeminiModelProfile profile, int maxChars, bool reanswer)
    {
        var frames = new List<HistoryFrame>();
        var turns = ConversationHistory.Turns(items, conversation, maxChars, frames);
        var asHistory = profile.ClientContentOnlyAsHistory;
        var ask = asHistory && reanswer ? ConversationHistory.TakeTrailingUserInput(turns) : null;
        return new GeminiContextSeed(turns, asHistory, ask, frames);
    }

    /// <summary>The history has turns or images (the model gets context).</summary>
    public bool Seeded => Turns.Count > 0 || Frames.Count > 0;

    /// <summary>A clientContent goes up: turns, or (3.1) the end of the history phase the setup announced.</summary>
    public bool HasMessage => Seeded || EndsHistory;

    /// <summary>
    /// The history's messages in order (write each with <see cref="Write"/>): runs of turns as clientContent, each
    /// image's <c>realtimeInput.video</c> frame between them where it was. On 3.1 the history is one clientContent and
    /// the frames follow it (realtime input starts after the history phase).
    /// </summary>
    public List<SeedMessage> Messages()
    {
        var messages = new List<SeedMessage>();
        if (!HasMessage)
        {
            return messages;
        }

        var from = 0;
        foreach (var frame in Frames)
        {
            var before = EndsHistory ? Turns.Count : Math.Min(frame.BeforeTurn, Turns.Count);
            if (before > from || (EndsHistory && from == 0 && messages.Count == 0))
            {
                messages.Add(new SeedMessage(from, before, null));
                from = before;
            }

            messages.Add(new SeedMessage(from, from, frame.Image));
        }

        if (from < Turns.Count || messages.Count == 0)
        {
            messages.Add(new SeedMessage(from, Turns.Count, null));
        }

        return messages;
    }

    public void Write(SeedMessage message, Utf8JsonWriter w)
    {
        if (message.Frame is { } frame)
        {
            frame.WriteFrame(w);
            return;
        }

        GeminiClientMessages.ClientContent(w, Turns[message.From..message.To], EndsHistory && message.To == Turns.Count);
    }

    /// <summary>One message of the history: turns [From, To) as clientContent, or an image's frame.</summary>
    public readonly record struct SeedMessage(int From, int To, KeptImage? Frame);

    /// <summary>
    /// What asks Gemini to answer the latest user input in its context (a reply lost with a connection):
    /// <c>clientContent{turnComplete:true}</c>; 3.1 refuses that, so the input (<paramref name="input"/>, else the latest
    /// user input in the conversation) goes again as realtime text — the model hears it twice, and answers it.
    /// </summary>
    public static void WriteAnswerNow(Utf8JsonWriter w, GeminiModelProfile profile, LocalConversation conversation, int maxChars, string? input)
    {
        if (!profile.ClientContentOnlyAsHistory)
        {
            GeminiClientMessages.AnswerNow(w);
            return;
        }

        var turns = ConversationHistory.Turns(conversation.Items, conversation, maxChars);
        GeminiClientMessages.Text(w, input ?? ConversationHistory.TakeTrailingUserInput(turns) ?? GeminiClientContent.BareAnswerPrompt);
    }
}
