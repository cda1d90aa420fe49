using VoicePlatform.Emulators.GeminiLive.Model;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>Replies to INTERRUPT results that arrived while the user was speaking (3.8 waits for the end of speech).</summary>
internal sealed class HeldInterruptReplies
{
    private readonly List<string> _replies = [];

    public bool Any => _replies.Count > 0;

    public void Add(string reply) => _replies.Add(reply);

    /// <summary>All held replies as one spoken plan, in arrival order; none are held afterwards.</summary>
    public SpeakPlan TakeAll()
    {
        var plan = new SpeakPlan(string.Join(ReplyPlanner.ResultSeparator, _replies));
        _replies.Clear();
        return plan;
    }
}
