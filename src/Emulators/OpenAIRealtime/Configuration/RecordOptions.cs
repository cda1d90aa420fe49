namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>
/// Settings of section <c>OpenAIEmulator:Record</c>: the opt-in input audio record behind <c>/emulator/sessions</c>.
/// Off by default: benchmarks run a thousand sessions and must not keep their audio.
/// </summary>
public sealed class RecordOptions
{
    /// <summary>Keep every session's accepted input audio (as PCM16) and serve it over HTTP.</summary>
    public bool InputAudio { get; set; }

    /// <summary>Bytes kept per session; beyond it recording stops and the record is flagged truncated.</summary>
    public long MaxBytesPerSession { get; set; } = 16 * 1024 * 1024;
}
