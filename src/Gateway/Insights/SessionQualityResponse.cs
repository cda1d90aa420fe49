using System.Globalization;
using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>A session's quality as the caller experienced it: totals over its connections, and each turn, tool call and continuity event.</summary>
public sealed class SessionQualityResponse
{
    [JsonPropertyName("object")] public string Object { get; init; } = "session.quality";
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("route")] public string? Route { get; init; }
    [JsonPropertyName("experiment_id")] public string? ExperimentId { get; init; }
    [JsonPropertyName("experiment_arm")] public string? ExperimentArm { get; init; }
    /// <summary>Unix seconds; null when unknown.</summary>
    [JsonPropertyName("started_at")] public long? StartedAt { get; init; }
    /// <summary>Unix seconds; null while not ended.</summary>
    [JsonPropertyName("ended_at")] public long? EndedAt { get; init; }
    [JsonPropertyName("end_reason")] public string? EndReason { get; init; }
    /// <summary>client_closed, idle, limit, provider_error, platform_error or other.</summary>
    [JsonPropertyName("end_category")] public string? EndCategory { get; init; }
    [JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }
    [JsonPropertyName("connections")] public int Connections { get; init; }
    [JsonPropertyName("turn_count")] public int TurnCount { get; init; }
    [JsonPropertyName("audio_in_ms")] public long AudioInMs { get; init; }
    [JsonPropertyName("audio_out_ms")] public long AudioOutMs { get; init; }
    [JsonPropertyName("interruptions")] public int Interruptions { get; init; }
    [JsonPropertyName("false_interruptions")] public int FalseInterruptions { get; init; }
    [JsonPropertyName("responses_cancelled")] public int ResponsesCancelled { get; init; }
    [JsonPropertyName("input_frames_dropped")] public int InputFramesDropped { get; init; }
    [JsonPropertyName("client_messages_rejected")] public int ClientMessagesRejected { get; init; }
    /// <summary>USD, from Billing's priced usage; null when none arrived.</summary>
    [JsonPropertyName("cost_usd")] public decimal? CostUsd { get; init; }
    /// <summary>Only for sessions of at least 10 s with a cost.</summary>
    [JsonPropertyName("cost_per_minute_usd")] public double? CostPerMinuteUsd { get; init; }
    [JsonPropertyName("turns")] public required IReadOnlyList<TurnQualityResponse> Turns { get; init; }
    [JsonPropertyName("tool_calls")] public required IReadOnlyList<ToolCallQualityResponse> ToolCalls { get; init; }
    [JsonPropertyName("continuity_events")] public required IReadOnlyList<ContinuityEventResponse> ContinuityEvents { get; init; }

    public static SessionQualityResponse From(SessionQuality q) => new()
    {
        Id = q.SessionId,
        Model = NullIfEmpty(q.Model),
        Provider = NullIfEmpty(q.Provider),
        Route = NullIfEmpty(q.Route),
        ExperimentId = NullIfEmpty(q.ExperimentId),
        ExperimentArm = NullIfEmpty(q.ExperimentArm),
        StartedAt = q.StartedAtUnixMs == 0 ? null : q.StartedAtUnixMs / 1000,
        EndedAt = q.EndedAtUnixMs == 0 ? null : q.EndedAtUnixMs / 1000,
        EndReason = NullIfEmpty(q.EndReason),
        EndCategory = NullIfEmpty(q.EndCategory),
        DurationMs = q.HasDurationMs ? q.DurationMs : null,
        Connections = q.Connections,
        TurnCount = q.Turns,
        AudioInMs = q.AudioInMs,
        AudioOutMs = q.AudioOutMs,
        Interruptions = q.Interruptions,
        FalseInterruptions = q.FalseInterruptions,
        ResponsesCancelled = q.ResponsesCancelled,
        InputFramesDropped = q.InputFramesDropped,
        ClientMessagesRejected = q.ClientMessagesRejected,
        CostUsd = q.CostUsd.Length == 0 ? null : decimal.Parse(q.CostUsd, CultureInfo.InvariantCulture),
        CostPerMinuteUsd = q.HasCostPerMinuteUsd ? Math.Round(q.CostPerMinuteUsd, 9) : null,
        Turns = [.. q.TurnDetails.Select(TurnQualityResponse.From)],
        ToolCalls = [.. q.ToolCalls.Select(ToolCallQualityResponse.From)],
        ContinuityEvents = [.. q.ContinuityEvents.Select(ContinuityEventResponse.From)],
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
