using VoicePlatform.Insights.Sessions;

namespace VoicePlatform.Insights.Queries;

/// <summary>
/// A session's totals, put together from its facts: the Gateway's connections add up (turns, audio, interruptions,
/// duration), the last connection's end is the session's (the Router's when no connection was measured), the cost is
/// the sum of its priced usage.
/// </summary>
public sealed record SessionFacts
{
    public required string SessionId { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }
    public string? Route { get; init; }
    public string? ExperimentId { get; init; }
    public string? ExperimentArm { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }
    public string? EndCategory { get; init; }
    public long? DurationMs { get; init; }
    public int Connections { get; init; }
    public int ConnectionTurns { get; init; }
    public long AudioInMs { get; init; }
    public long AudioOutMs { get; init; }
    public int Interruptions { get; init; }
    public int FalseInterruptions { get; init; }
    public int ResponsesCancelled { get; init; }
    public int InputFramesDropped { get; init; }
    public int ClientMessagesRejected { get; init; }
    public int TurnsMeasured { get; init; }
    public double? MeanResponseLatencyMs { get; init; }
    public double? MeanFirstTextLatencyMs { get; init; }
    public bool AnyTurnInterrupted { get; init; }
    public double? MeanToolLatencyMs { get; init; }
    public bool AnyToolFailure { get; init; }
    public decimal? CostUsd { get; init; }

    /// <summary>Sessions shorter than this get no cost per minute: a 43 ms session's cost is not a per-minute rate.</summary>
    public const long MinimumDurationForRateMs = 10_000;

    public double? CostPerMinuteUsd =>
        CostUsd is { } cost && DurationMs is { } ms && ms >= MinimumDurationForRateMs ? (double)cost / (ms / 60_000.0) : null;

    public bool ErrorEnd => EndCategory is { } category && EndCategories.IsError(category);

    public bool Interrupted => AnyTurnInterrupted || Interruptions > 0;
}
