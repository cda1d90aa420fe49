using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Insights;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// <c>GET /v1/experiments/{id}/results</c>: per arm its sessions and metric summaries and, against the control, each
/// metric's difference, relative lift, 95% interval and p-value; plus the sample-ratio check of the arms' session counts.
/// </summary>
public sealed class ExperimentResultsResponse
{
    [JsonPropertyName("object")] public string Object => "experiment.results";
    [JsonPropertyName("experiment_id")] public required string ExperimentId { get; init; }
    /// <summary>The arm every other is compared with (the first arm listed, unless <c>?control=</c> names another).</summary>
    [JsonPropertyName("control_arm")] public required string ControlArm { get; init; }
    /// <summary>Below this many sessions with data, a comparison is reported as insufficient data (no p-value).</summary>
    [JsonPropertyName("min_sessions_per_arm")] public int MinSessionsPerArm { get; init; }
    [JsonPropertyName("sample_ratio")] public required SampleRatioResponse SampleRatio { get; init; }
    [JsonPropertyName("arms")] public required IReadOnlyList<ArmResultsResponse> Arms { get; init; }

    public static ExperimentResultsResponse From(string experimentId, ExperimentResults results) => new()
    {
        ExperimentId = experimentId,
        ControlArm = results.ControlArm,
        MinSessionsPerArm = results.MinSessionsPerArm,
        SampleRatio = new SampleRatioResponse
        {
            ChiSquare = results.SampleRatio?.ChiSquare ?? 0,
            PValue = results.SampleRatio?.PValue ?? 1,
            Mismatch = results.SampleRatio?.Mismatch ?? false,
        },
        Arms = [.. results.Arms.Select(ArmResultsResponse.From)],
    };
}
