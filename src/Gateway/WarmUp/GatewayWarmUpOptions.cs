namespace VoicePlatform.Gateway.WarmUp;

/// <summary>Configuration section <c>Gateway:WarmUp</c>: the relay warm-up a Gateway runs before it reports ready.</summary>
public sealed class GatewayWarmUpOptions
{
    public const string SectionName = "Gateway:WarmUp";

    /// <summary>Off only where start-up time matters more than the first sessions' latency (some tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after start the warm-up waits (a Gateway has no reason to wait: clients come once it is ready).</summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Synthetic sessions run at once per round; odd ones use G.711 μ-law audio (telephony clients), even ones PCM16 24 kHz.</summary>
    public int ConcurrentSessions { get; set; } = 4;

    /// <summary>20 ms <c>input_audio_buffer.append</c> messages each session sends (each answered with 20 ms of model audio).
    /// The runtime promotes a method after 30 calls, so a round's sessions together must pass that comfortably.</summary>
    public int Frames { get; set; } = 50;

    /// <summary>Frames sent back to back before a pause: the runtime promotes hot code only after it has been called for a while.</summary>
    public int FramesPerBurst { get; set; } = 10;

    public TimeSpan BurstPause { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Rounds (all sessions once per round). Code first compiled in a round is promoted in a later one.</summary>
    public int Rounds { get; set; } = 3;

    /// <summary>Pause after each round: the runtime starts counting calls, and compiles optimised code, once compilation calms down.</summary>
    public TimeSpan RoundPause { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound on the whole warm-up; a Gateway that cannot finish it still becomes ready.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
