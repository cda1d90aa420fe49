using System.ComponentModel;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>Body of <c>PUT /v1/recordings/settings</c>.</summary>
public sealed record RecordingSettingsRequest
{
    [Description("Record the tenant's sessions (stereo WAV: caller left, assistant as heard right). A session can override it with session.update's 'recording'.")]
    [JsonPropertyName("enabled")] public bool? Enabled { get; init; }
}
