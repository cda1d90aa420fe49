using System.Text.Json.Serialization;

namespace VoicePlatform.Emulators.OpenAIRealtime.Recording;

/// <summary>The body of <c>GET /emulator/sessions</c>.</summary>
internal sealed record InputAudioListing([property: JsonPropertyName("sessions")] IReadOnlyList<InputAudioSummary> Sessions);
