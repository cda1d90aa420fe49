using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>Something the platform did to keep the session alive: provider_rollover, provider_reconnect, router_failover, connect_fallback, provider_fallback, client_resume.</summary>
public sealed class ContinuityEventResponse
{
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    /// <summary>On the session timeline (ms since the client's socket opened), when known.</summary>
    [JsonPropertyName("at_ms")] public long? AtMs { get; init; }
    [JsonPropertyName("duration_ms")] public long DurationMs { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("occurred_at_ms")] public long OccurredAtMs { get; init; }

    public static ContinuityEventResponse From(ContinuityEventInfo e) => new()
    {
        Kind = e.Kind, AtMs = e.HasAtMs ? e.AtMs : null, DurationMs = e.DurationMs, Detail = e.Detail.Length == 0 ? null : e.Detail,
        OccurredAtMs = e.OccurredAtUnixMs,
    };
}
