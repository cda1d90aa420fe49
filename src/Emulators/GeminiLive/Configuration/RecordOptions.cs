namespace VoicePlatform.Emulators.GeminiLive.Configuration;

/// <summary>
/// <c>GeminiEmulator:Record:*</c>: the opt-in input audio record behind <c>/emulator/sessions</c>.
/// Off by default: benchmarks run a thousand sessions and must not keep their audio.
/// </summary>
public sealed class RecordOptions
{
    /// <summary>Keep every session's effective input audio and serve it over HTTP.</summary>
    public bool InputAudio { get; set; }

    /// <summary>Bytes kept per session; beyond it recording stops and the record is flagged truncated.</summary>
    public long MaxBytesPerSession { get; set; } = 16 * 1024 * 1024;
}
