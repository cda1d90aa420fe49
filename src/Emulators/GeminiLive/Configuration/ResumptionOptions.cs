namespace VoicePlatform.Emulators.GeminiLive.Configuration;

public sealed class ResumptionOptions
{
    /// <summary>Only the newest handle of a session resumes; older ones are rejected as invalid.</summary>
    public bool OnlyLatestHandleValid { get; set; }

    /// <summary>Resuming while the old connection is open: 1011 per a third-party report (1007 also reported).</summary>
    public int ResumeWhileOpenCloseCode { get; set; } = 1011;
    public string ResumeWhileOpenCloseReason { get; set; } = "Internal error occurred.";

    /// <summary>Unknown or expired handle.</summary>
    public int InvalidHandleCloseCode { get; set; } = 1007;
    public string InvalidHandleCloseReason { get; set; } = "Request contains an invalid argument.";

    /// <summary>Send a resumable update right after setupComplete.</summary>
    public bool UpdateAfterSetup { get; set; } = true;

    /// <summary>Extra resumable updates while idle (no generation); zero = only at turn boundaries.</summary>
    public TimeSpan IdleUpdateInterval { get; set; } = TimeSpan.Zero;

    /// <summary>Accept sessionResumption.transparent (js-genai refuses it client-side for the Developer API).</summary>
    public bool TransparentSupported { get; set; } = true;

    /// <summary>Whether the setup message is client message index 0 (unconfirmed; else the first message after setup is 0).</summary>
    public bool IndexCountsSetup { get; set; } = true;

    /// <summary>Shape of a not-resumable update: proto3 JSON omits defaults ({}), or explicit {"newHandle":"","resumable":false}.</summary>
    public NotResumableShape NotResumableShape { get; set; } = NotResumableShape.Omitted;
}

public enum NotResumableShape
{
    Omitted,
    Explicit,
}
