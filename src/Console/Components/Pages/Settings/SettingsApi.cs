using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Settings;

public sealed record RecordingSettings(bool Enabled);

public sealed record TranscriptSettings(int RetentionDays, bool IsDefault);

/// <summary>The tenant's recording and retention settings: <c>/v1/recordings/settings</c>, <c>/v1/transcripts/settings</c>.</summary>
public static class SettingsApi
{
    public static Task<RecordingSettings?> GetRecordingSettingsAsync(this GatewayApi api, CancellationToken ct = default) =>
        api.GetAsync<RecordingSettings>("/v1/recordings/settings", ct);

    public static Task<RecordingSettings?> PutRecordingSettingsAsync(this GatewayApi api, bool enabled, CancellationToken ct = default) =>
        api.SendAsync<RecordingSettings>(HttpMethod.Put, "/v1/recordings/settings", new { enabled }, ct);

    public static Task<TranscriptSettings?> GetTranscriptSettingsAsync(this GatewayApi api, CancellationToken ct = default) =>
        api.GetAsync<TranscriptSettings>("/v1/transcripts/settings", ct);

    public static Task<TranscriptSettings?> PutTranscriptSettingsAsync(this GatewayApi api, int? retentionDays, CancellationToken ct = default) =>
        api.SendAsync<TranscriptSettings>(HttpMethod.Put, "/v1/transcripts/settings", new { retention_days = retentionDays }, ct);
}
