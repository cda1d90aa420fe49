namespace VoicePlatform.Emulators.GeminiLive.Configuration;

/// <summary>Energy VAD defaults; setup.realtimeInputConfig.automaticActivityDetection overrides per session.</summary>
public sealed class VadOptions
{
    /// <summary>Speech threshold in dBFS (RMS over 20 ms frames) at default sensitivity.</summary>
    public double ThresholdDbfs { get; set; } = -40;

    /// <summary>HIGH sensitivity lowers the threshold by this much, LOW raises it.</summary>
    public double SensitivityStepDb { get; set; } = 10;

    public int SilenceDurationMs { get; set; } = 500;

    /// <summary>Speech needed before start-of-speech is committed.</summary>
    public int PrefixPaddingMs { get; set; } = 40;
}
