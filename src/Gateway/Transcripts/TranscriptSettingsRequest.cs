using System.ComponentModel;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>Body of <c>PUT /v1/transcripts/settings</c>.</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)]
public sealed record TranscriptSettingsRequest
{
    [Description("Days to keep sessions and transcripts (1-3650); older ones are deleted.")]
    [JsonPropertyName("retention_days")] public int? RetentionDays { get; init; }
}
