using VoicePlatform.Emulators.GeminiLive.Model;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The extended-thinking model's answer while it "thinks": set when its filler starts, due a thinking time after the
/// filler's turnComplete, dropped when the filler is interrupted or new user input takes over.
/// </summary>
internal sealed class BackgroundThought
{
    public ReplyPlan? Answer { get; private set; }

    /// <summary>When the answer is due; null while the filler is still being spoken.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public bool Pending => Answer is not null;

    public void Begin(ReplyPlan answer)
    {
        Answer = answer;
        DueAt = null;
    }

    public void Drop()
    {
        Answer = null;
        DueAt = null;
    }

    /// <summary>The filler's turn ended: thinking time starts, unless it was cut.</summary>
    public void OnTurnEnded(bool interrupted, DateTimeOffset now, TimeSpan thinkingTime)
    {
        if (Answer is null || DueAt is not null)
        {
            return;
        }

        if (interrupted)
        {
            Drop();
            return;
        }

        DueAt = now + thinkingTime;
    }

    /// <summary>The answer once its time has come (and it is no longer pending), else null.</summary>
    public ReplyPlan? TakeIfDue(DateTimeOffset now)
    {
        if (Answer is not { } answer || DueAt is not { } due || due > now)
        {
            return null;
        }

        Drop();
        return answer;
    }
}
