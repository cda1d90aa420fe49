using System.Text.Json.Serialization;

namespace VoicePlatform.Emulators.InputAudioRecording;

/// <summary>One entry of <c>GET /emulator/sessions</c>.</summary>
public sealed record InputAudioSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("connections")] int Connections,
    [property: JsonPropertyName("input_audio_bytes")] long InputAudioBytes,
    [property: JsonPropertyName("sample_rate")] int SampleRate,
    [property: JsonPropertyName("truncated")] bool Truncated,
    [property: JsonPropertyName("ended")] bool Ended,
    [property: JsonPropertyName("mixed_rates")] bool MixedRates);
