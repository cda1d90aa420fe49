namespace VoicePlatform.Router.WarmUp;

/// <summary>Configuration section <c>WarmUp</c>: the relay warm-up a Router runs before it reports ready.</summary>
public sealed class RelayWarmUpOptions
{
    public const string SectionName = "WarmUp";

    /// <summary>Off only where start-up time matters more than the first sessions' latency (some tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long after start the warm-up waits. A Router restarted after a crash comes up while the crashed Router's
    /// sessions are moving to the others, often on the same node: the warm-up's CPU would slow that move down.
    /// </summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Sessions per provider run at once (a re-attach wave runs many at once); each is followed by one resumed from it.</summary>
    public int ConcurrentSessions { get; set; } = 2;

    /// <summary>20 ms audio frames each warm-up session sends. Per round: enough calls for the runtime to promote the per-frame code (it counts 30).</summary>
    public int Frames { get; set; } = 40;

    /// <summary>Frames sent back to back before a pause: the runtime promotes hot code only after it has been called for a while.</summary>
    public int FramesPerBurst { get; set; } = 10;

    public TimeSpan BurstPause { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Rounds (every provider's sessions once per round). More rounds, more of the code optimised before the first real session.</summary>
    public int Rounds { get; set; } = 3;

    /// <summary>Pause after each round: the runtime starts counting calls, and compiles optimised code, once compilation calms down.</summary>
    public TimeSpan RoundPause { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on the whole warm-up; a Router that cannot finish it still becomes ready.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
}
