using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A rebuilt context's history as the messages that carry it, in order: runs of turns as clientContent, each kept
/// image's <c>realtimeInput.video</c> frame between them where it was in the conversation. On 3.1 (the history ends
/// the initial-history phase) the history is one clientContent ending <c>turnComplete:true</c> and the frames follow
/// it: realtime input only starts after that phase.
/// </summary>
internal sealed class HistoryMessages
{
    private readonly List<PendingTurn> _turns;
    private readonly bool _endsHistory;
    private readonly List<Message> _messages = [];

    public HistoryMessages(List<PendingTurn> turns, bool endsHistory, IReadOnlyList<HistoryFrame> frames, bool hasMessage)
    {
        _turns = turns;
        _endsHistory = endsHistory;
        if (!hasMessage)
        {
            return;
        }

        var from = 0;
        foreach (var frame in frames)
        {
            var before = endsHistory ? turns.Count : Math.Min(frame.BeforeTurn, turns.Count);
            // 3.1: the one history message comes first, even without turns (it ends the history phase).
            if (before > from || (endsHistory && _messages.Count == 0))
            {
                _messages.Add(new Message(from, before, null));
                from = before;
            }

            _messages.Add(new Message(from, from, frame.Image));
        }

        if (from < turns.Count || _messages.Count == 0)
        {
            _messages.Add(new Message(from, turns.Count, null));
        }
    }

    public int Count => _messages.Count;

    /// <summary>Writes message <paramref name="index"/>.</summary>
    public void Write(int index, Utf8JsonWriter w)
    {
        var message = _messages[index];
        if (message.Frame is { } frame)
        {
            frame.WriteFrame(w);
            return;
        }

        GeminiClientMessages.ClientContent(w, _turns[message.From..message.To], _endsHistory && message.To == _turns.Count);
    }

    /// <summary>Turns [From, To) as clientContent, or an image's frame.</summary>
    private readonly record struct Message(int From, int To, KeptImage? Frame);
}
