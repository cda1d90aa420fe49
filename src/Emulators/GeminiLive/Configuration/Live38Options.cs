namespace VoicePlatform.Emulators.GeminiLive.Configuration;

/// <summary>
/// Gemini 3.8 Live and 3.8 extended thinking (<c>GeminiEmulator:Live38:*</c>). Codes and texts the reference
/// marks unconfirmed (the setup rejections) are settings so both readings can be tried.
/// </summary>
public sealed class Live38Options
{
    /// <summary>Close code for a setup field the 3.8 models refuse (3P: 1007 for TEXT; the rest unconfirmed).</summary>
    public int SetupRejectCloseCode { get; set; } = 1007;

    /// <summary>What the model says right after a NON_BLOCKING toolCall on 3.8 (it keeps talking).</summary>
    public string ToolFiller { get; set; } = "Let me check that.";

    /// <summary>What the extended-thinking model says before it goes off to reason.</summary>
    public string ThinkingFiller { get; set; } = "Let me think about that.";

    /// <summary>Background reasoning between the filler's turnComplete (IN_PROGRESS) and the answer.</summary>
    public TimeSpan ThinkingTime { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary><c>thoughtsTokenCount</c> on the extended-thinking answer turn (136 in the 3P capture).</summary>
    public int ThoughtsTokenCount { get; set; } = 136;

    /// <summary>3.8 sends outputTranscription even when the setup did not ask for it (3P observation).</summary>
    public bool UnrequestedOutputTranscription { get; set; } = true;

    /// <summary>Sessions on 3.8 are closed (session-cap close, 1011) at this age even with compression; 0 = no limit.</summary>
    public TimeSpan SessionLimit { get; set; } = TimeSpan.FromMinutes(58);
}
