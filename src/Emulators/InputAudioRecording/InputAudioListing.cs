using System.Text.Json.Serialization;

namespace VoicePlatform.Emulators.InputAudioRecording;

/// <summary>The body of <c>GET /emulator/sessions</c>.</summary>
public sealed record InputAudioListing([property: JsonPropertyName("sessions")] IReadOnlyList<InputAudioSummary> Sessions);
