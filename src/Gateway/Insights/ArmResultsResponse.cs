using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>One arm: its sessions and turns, each metric's summary, and (not for the control) each metric against the control.</summary>
public sealed class ArmResultsResponse
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("sessions")] public int Sessions { get; init; }
    [JsonPropertyName("turns")] public long Turns { get; init; }
    /// <summary>Fewer sessions than the minimum: its comparisons carry no p-value.</summary>
    [JsonPropertyName("insufficient_data")] public bool InsufficientData { get; init; }
    [JsonPropertyName("metrics")] public required IReadOnlyList<ArmMetricResponse> Metrics { get; init; }
    [JsonPropertyName("versus_control")] public required IReadOnlyList<ArmComparisonResponse> VersusControl { get; init; }

    public static ArmResultsResponse From(ArmResults arm) => new()
    {
        Name = arm.Name,
        Sessions = arm.Sessions,
        Turns = arm.Turns,
        InsufficientData = arm.InsufficientData,
        Metrics = [.. arm.Metrics.Select(ArmMetricResponse.From)],
        VersusControl = [.. arm.VersusControl.Select(ArmComparisonResponse.From)],
    };
}
