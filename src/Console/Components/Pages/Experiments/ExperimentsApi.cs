using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Experiments;

public sealed record ExperimentArm(string Name, JsonNode Target, int Weight);

public sealed record SampleRatio(double ChiSquare, double PValue, bool Mismatch, string? Warning);

public sealed record ExperimentAssignments(IReadOnlyDictionary<string, long> Arms, long Holdout, SampleRatio SampleRatio);

public sealed record ExperimentInfo(
    string Id, string Name, string Route, string Status, int TrafficPercent, string Subject, IReadOnlyList<ExperimentArm> Arms,
    ExperimentAssignments Assignments, long CreatedAt, long? StartedAt, long? StoppedAt);

public sealed record ExperimentList(IReadOnlyList<ExperimentInfo> Data);

public sealed record ArmMetric(string Metric, string Kind, int Sessions, double Mean, double? Median, double? P90, double CiLow, double CiHigh);

public sealed record ArmComparison(string Metric, string Test, bool InsufficientData, double? Difference, double? RelativeLift, double? CiLow, double? CiHigh, double? PValue);

public sealed record ArmResults(string Name, int Sessions, long Turns, bool InsufficientData, IReadOnlyList<ArmMetric> Metrics, IReadOnlyList<ArmComparison> VersusControl);

public sealed record ExperimentResults(string ExperimentId, string ControlArm, int MinSessionsPerArm, SampleRatio SampleRatio, IReadOnlyList<ArmResults> Arms);

/// <summary><c>/v1/experiments</c> (the Router's experiments), their results (Insights) and per-arm latency over time.</summary>
public static class ExperimentsApi
{
    public static Task<ExperimentList?> ListExperimentsAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<ExperimentList>("/v1/experiments", ct);

    public static Task<ExperimentInfo?> GetExperimentAsync(this GatewayApi api, string id, CancellationToken ct = default) =>
        api.GetAsync<ExperimentInfo>($"/v1/experiments/{GatewayApi.Escape(id)}", ct);

    public static Task<ExperimentInfo?> CreateExperimentAsync(this GatewayApi api, JsonObject body, CancellationToken ct = default) =>
        api.SendAsync<ExperimentInfo>(HttpMethod.Post, "/v1/experiments", body, ct);

    public static Task<ExperimentInfo?> ReplaceExperimentAsync(this GatewayApi api, string id, JsonObject body, CancellationToken ct = default) =>
        api.SendAsync<ExperimentInfo>(HttpMethod.Put, $"/v1/experiments/{GatewayApi.Escape(id)}", body, ct);

    /// <param name="action">start, pause or stop.</param>
    public static Task<ExperimentInfo?> ApplyExperimentActionAsync(this GatewayApi api, string id, string action, CancellationToken ct = default) =>
        api.SendAsync<ExperimentInfo>(HttpMethod.Post, $"/v1/experiments/{GatewayApi.Escape(id)}/{action}", null, ct);

    public static Task<ExperimentResults?> GetExperimentResultsAsync(this GatewayApi api, string id, CancellationToken ct = default) =>
        api.GetAsync<ExperimentResults>($"/v1/experiments/{GatewayApi.Escape(id)}/results", ct);

    /// <summary>Median time to first audio per arm per hour since <paramref name="from"/>.</summary>
    public static Task<InsightsTimeseries?> GetArmLatencyAsync(this GatewayApi api, string id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default) =>
        api.GetAsync<InsightsTimeseries>(QueryHelpers.AddQueryString("/v1/insights/timeseries", new Dictionary<string, string?>
        {
            ["metric"] = "response_latency_p50", ["group_by"] = "arm", ["experiment"] = id, ["interval"] = "hour",
            ["from"] = from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ["to"] = to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        }), ct);
}
