using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// A metric of an arm against the control: <c>difference</c> = arm − control, <c>relative_lift</c> = difference /
/// control, its 95% interval and the two-sided p-value of <c>test</c> (<c>welch_t</c> for means, <c>two_proportion_z</c>
/// for rates). All null when either side has fewer sessions with data than the minimum (<c>insufficient_data</c>).
/// </summary>
public sealed class ArmComparisonResponse
{
    [JsonPropertyName("metric")] public required string Metric { get; init; }
    [JsonPropertyName("test")] public required string Test { get; init; }
    [JsonPropertyName("insufficient_data")] public bool InsufficientData { get; init; }
    [JsonPropertyName("difference")] public double? Difference { get; init; }
    [JsonPropertyName("relative_lift")] public double? RelativeLift { get; init; }
    [JsonPropertyName("ci_low")] public double? CiLow { get; init; }
    [JsonPropertyName("ci_high")] public double? CiHigh { get; init; }
    [JsonPropertyName("p_value")] public double? PValue { get; init; }

    public static ArmComparisonResponse From(ArmComparison comparison) => new()
    {
        Metric = comparison.Metric,
        Test = comparison.Test,
        InsufficientData = comparison.InsufficientData,
        Difference = comparison.HasDifference ? comparison.Difference : null,
        RelativeLift = comparison.HasRelativeLift ? comparison.RelativeLift : null,
        CiLow = comparison.HasCiLow ? comparison.CiLow : null,
        CiHigh = comparison.HasCiHigh ? comparison.CiHigh : null,
        PValue = comparison.HasPValue ? comparison.PValue : null,
    };
}
