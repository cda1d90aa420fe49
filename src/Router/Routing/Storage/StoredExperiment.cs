using System.Text.Json.Nodes;
using VoicePlatform.Router.Routing.Definitions;
using VoicePlatform.ExperimentStatistics;

namespace VoicePlatform.Router.Routing.Storage;

/// <summary>An experiment as stored: its definition, lifecycle state and salt, and how many sessions each arm got.</summary>
public sealed record StoredExperiment(
    string Id,
    ExperimentDefinition Definition,
    string Status,
    string Salt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    IReadOnlyDictionary<string, long> Assignments)
{
    public const string HoldoutArm = "holdout";

    public JsonObject ToJson()
    {
        var counts = Definition.Arms.Select(a => Assignments.GetValueOrDefault(a.Name)).ToArray();
        var ratio = SampleRatioCheck.Test(counts, [.. Definition.Arms.Select(a => a.Weight)]);
        return new JsonObject
        {
            ["object"] = "experiment",
            ["id"] = Id,
            ["name"] = Definition.Name,
            ["route"] = Definition.Route,
            ["status"] = Status,
            ["traffic_percent"] = Definition.TrafficPercent,
            ["subject"] = Definition.Subject,
            ["arms"] = new JsonArray([.. Definition.Arms.Select(a => new JsonObject
            {
                ["name"] = a.Name,
                ["target"] = a.Target.ToJson(),
                ["weight"] = a.Weight,
            })]),
            ["assignments"] = new JsonObject
            {
                ["arms"] = new JsonObject(Definition.Arms.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)JsonValue.Create(Assignments.GetValueOrDefault(a.Name))))),
                [HoldoutArm] = Assignments.GetValueOrDefault(HoldoutArm),
                ["sample_ratio"] = new JsonObject
                {
                    ["chi_square"] = Math.Round(ratio.ChiSquare, 4),
                    ["p_value"] = Math.Round(ratio.PValue, 6),
                    ["mismatch"] = ratio.Mismatch,
                    ["warning"] = ratio.Mismatch
                        ? $"The arms' session counts differ from their weights more than chance explains (p = {ratio.PValue:0.######} < {SampleRatioCheck.WarningThreshold}); check for a bug or a filter before trusting comparisons."
                        : null,
                },
            },
            ["created_at"] = CreatedAt.ToUnixTimeSeconds(),
            ["started_at"] = StartedAt?.ToUnixTimeSeconds(),
            ["stopped_at"] = StoppedAt?.ToUnixTimeSeconds(),
        };
    }
}
