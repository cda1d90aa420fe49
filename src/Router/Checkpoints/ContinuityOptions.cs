namespace VoicePlatform.Router.Checkpoints;

/// <summary>Configuration section <c>Continuity</c>: session state in Redis.</summary>
public sealed class ContinuityOptions
{
    public const string SectionName = "Continuity";

    /// <summary>How long an owner's lease lasts without renewal; a crashed Router's sessions are free after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a live session renews its lease (well inside <see cref="LeaseDuration"/>).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often the Router tells the Gateway how far it may forget client input (in batches, not per frame: a re-attach
    /// replays at most about this much, and what the checkpoint already holds is not handed again).
    /// </summary>
    public TimeSpan AckInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How often progress made by input audio alone is acknowledged (every frame moves the line; the Gateway needs it
    /// only to trim its replay buffer). A commit, or a control event handed to the provider, goes out at the next
    /// <see cref="AckInterval"/> tick. Audio that is safe is trimmed from the Gateway's buffer up to this much later.
    /// </summary>
    public TimeSpan AudioAckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long <c>input_audio_buffer.committed</c> waits for the checkpoint to hold the user's item before it goes to
    /// the client anyway (Redis stalled): a spoken turn the client saw is one the next Router will not make again.
    /// </summary>
    public TimeSpan CommitStoreTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On drain, how long a response in progress may run before the session is handed off anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a session's state is kept after it ended (or after its last checkpoint, if nobody ended it).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(15);
}
