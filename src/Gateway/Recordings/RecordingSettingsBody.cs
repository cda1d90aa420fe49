using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>The tenant's recording setting: whether its sessions are recorded unless a session overrides it.</summary>
public sealed record RecordingSettingsBody([property: JsonPropertyName("enabled")] bool Enabled)
{
    [JsonPropertyName("object")] public string Object => "recording_settings";
}
