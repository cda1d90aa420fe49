using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>The tenant's transcript settings. <c>is_default</c>: no choice made, the platform default applies.</summary>
public sealed record TranscriptSettingsBody(
    [property: JsonPropertyName("retention_days")] int RetentionDays,
    [property: JsonPropertyName("is_default")] bool IsDefault)
{
    [JsonPropertyName("object")] public string Object => "transcript_settings";

    public static TranscriptSettingsBody From(RetentionSettings settings) => new(settings.RetentionDays, settings.IsDefault);
}
