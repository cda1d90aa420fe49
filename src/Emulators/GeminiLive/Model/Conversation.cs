using System.Collections.Immutable;

namespace VoicePlatform.Emulators.GeminiLive.Model;

/// <summary>The session context: turns plus the system instruction and tool declarations.</summary>
internal sealed class Conversation(int systemTokens, IEnumerable<ConversationTurn>? restored = null)
{
    private readonly List<ConversationTurn> _turns = restored?.ToList() ?? [];

    public IReadOnlyList<ConversationTurn> Turns => _turns;

    public ModalityTokens ContextTokens
    {
        get
        {
            var total = new ModalityTokens(systemTokens, 0, 0);
            foreach (var turn in _turns)
            {
                total += turn.Tokens;
            }

            return total;
        }
    }

    public void Add(ConversationTurn turn) => _turns.Add(turn);

    public ConversationTurn? LastUserMessage(int skipLast = 0)
    {
        var seen = 0;
        for (var i = _turns.Count - 1; i >= 0; i--)
        {
            if (_turns[i].IsUserMessage && seen++ >= skipLast)
            {
                return _turns[i];
            }
        }

        return null;
    }

    /// <summary>Sliding-window compression: once the context exceeds trigger, drop the oldest turns down to target.</summary>
    public int Compress(long trigger, long target)
    {
        if (ContextTokens.Total <= trigger)
        {
            return 0;
        }

        var dropped = 0;
        while (_turns.Count > 1 && ContextTokens.Total > target)
        {
            _turns.RemoveAt(0);
            dropped++;
        }

        return dropped;
    }

    public ImmutableArray<ConversationTurn> Snapshot() => [.. _turns];
}
