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

    /// <summary>The history as the messages that carry it, in order (see <see cref="HistoryMessages"/>).</summary>
    public HistoryMessages Messages() => new(Turns, EndsHistory, Frames, HasMessage);

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
