using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Routing;

/// <summary>An experiment as the experiments API returns it (the Router's JSON; this type describes it in the OpenAPI document).</summary>
public sealed class ExperimentResponse
{
    [JsonPropertyName("object")] public string Object => "experiment";
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>The route whose sessions the experiment splits.</summary>
    [JsonPropertyName("route")] public required string Route { get; init; }
    /// <summary><c>draft</c>, <c>running</c>, <c>paused</c> or <c>stopped</c>.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("traffic_percent")] public int TrafficPercent { get; init; }
    /// <summary><c>user</c> or <c>session</c>.</summary>
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("arms")] public required IReadOnlyList<ExperimentArmResponse> Arms { get; init; }
    [JsonPropertyName("assignments")] public required ExperimentAssignmentsResponse Assignments { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    /// <summary>Unix seconds; null until started.</summary>
    [JsonPropertyName("started_at")] public long? StartedAt { get; init; }
    /// <summary>Unix seconds; null until stopped.</summary>
    [JsonPropertyName("stopped_at")] public long? StoppedAt { get; init; }
}

public sealed class ExperimentArmResponse
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("target")] public required JsonNode Target { get; init; }
    [JsonPropertyName("weight")] public int Weight { get; init; }
}

/// <summary>Sessions assigned so far: per arm, to the holdout, and whether the split matches the weights.</summary>
public sealed class ExperimentAssignmentsResponse
{
    [JsonPropertyName("arms")] public required IReadOnlyDictionary<string, long> Arms { get; init; }
    [JsonPropertyName("holdout")] public long Holdout { get; init; }
    [JsonPropertyName("sample_ratio")] public required SampleRatioResponse SampleRatio { get; init; }
}

/// <summary>A chi-square test of the arms' session counts against their weights.</summary>
public sealed class SampleRatioResponse
{
    [JsonPropertyName("chi_square")] public double ChiSquare { get; init; }
    [JsonPropertyName("p_value")] public double PValue { get; init; }
    [JsonPropertyName("mismatch")] public bool Mismatch { get; init; }
    [JsonPropertyName("warning")] public string? Warning { get; init; }
}

public sealed record ExperimentListResponse([property: JsonPropertyName("data")] IReadOnlyList<ExperimentResponse> Data)
{
    [JsonPropertyName("object")] public string Object => "list";
}
