namespace VoicePlatform.Console.Gateway;

// The shapes of the Gateway's responses the console reads (snake_case on the wire; see GatewayJson).
// Only the fields the console shows; the OpenAPI document (/openapi/v1.json on the Gateway) has them all.

public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore, string? NextCursor);

public sealed record SessionSummary(
    string Id, string Model, string Provider, string? Route, string? ExperimentId, string? ExperimentArm,
    string? ClientProtocol, long StartedAt, long? EndedAt, long? DurationMs, string? EndReason, bool HasRecording);

public sealed record Transcript(string SessionId, IReadOnlyList<TranscriptSegment> Segments);

public sealed record TranscriptSegment(string Id, string ItemId, string Role, string Text, long StartMs, long EndMs, bool Truncated);

public sealed record SearchHit(string SessionId, string SegmentId, string ItemId, string Role, long StartMs, long EndMs, bool Truncated, string Snippet);

public sealed record SessionCost(string SessionId, IReadOnlyList<string> Models, long Events, string CostUsd, long DurationMs, string? CostPerMinuteUsd);

public sealed record SessionQuality(
    string Id, string? Model, string? EndReason, string? EndCategory, long? DurationMs, int Connections, int TurnCount,
    long AudioInMs, long AudioOutMs, int Interruptions, int FalseInterruptions, decimal? CostUsd,
    IReadOnlyList<TurnQuality> Turns, IReadOnlyList<ContinuityEvent> ContinuityEvents);

public sealed record TurnQuality(
    string ResponseId, string Trigger, long? TurnEndMs, long? ResponseLatencyMs, long? FirstTextLatencyMs, string Status,
    long AudioOutMs, bool Interrupted, long? InterruptedAfterMs, long MaxStallMs, IReadOnlyList<ItemPlayback> Items);

public sealed record ItemPlayback(string ItemId, long StartMs, long EndMs, bool Truncated);

public sealed record ContinuityEvent(string Kind, long? AtMs, long DurationMs, string? Detail, long OccurredAtMs);

public sealed record LatencySummary(long Count, long? P50, long? P90, long? P95, long? P99, double? Mean);

public sealed record InsightsGroup(
    string Key, long Turns, long Sessions, long Connections, LatencySummary ResponseLatencyMs, double? InterruptionRate,
    long Interruptions, long ErrorEnds, double? ErrorEndRate, long ConnectionDurationMs);

public sealed record InsightsSummary(long From, long To, string GroupBy, IReadOnlyList<InsightsGroup> Data);

public sealed record TimeseriesPoint(long Start, double? Value, long Count);

public sealed record TimeseriesSeries(string Key, IReadOnlyList<TimeseriesPoint> Points);

public sealed record InsightsTimeseries(string Metric, string Interval, string GroupBy, long From, long To, IReadOnlyList<TimeseriesSeries> Data);

public sealed record UsageBucket(string Key, long ConnectionMs, long Events, string CostUsd, long Sessions);

public sealed record UsageReport(string GroupBy, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageBucket> Data, string TotalCostUsd);

/// <summary><c>GET /v1/limits</c>. Null caps: none set (a null effective cap: no cap at all).</summary>
public sealed record TenantLimits(
    int? MaxConcurrentSessions, int? EffectiveMaxConcurrentSessions, int? MaxSessionStartsPerMinute, long LiveSessions, BudgetStatus? Budget);

public sealed record BudgetStatus(string? MonthlyBudgetUsd, string Mode, string MonthToDateUsd, bool Reached);

