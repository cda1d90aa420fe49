namespace VoicePlatform.Router.Checkpoints;

/// <summary>Configuration section <c>Continuity</c>: session state in Redis.</summary>
public sealed class ContinuityOptions
{
    public const string SectionName = "Continuity";

    /// <summary>How long an owner's lease lasts without renewal; a crashed Router's sessions are free after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a live session renews its lease (well inside <see cref="LeaseDuration"/>).</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>On drain, how long a response in progress may run before the session is handed off anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a session's state is kept after it ended (or after its last checkpoint, if nobody ended it).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(15);
}
