using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Experiments;

/// <summary>One experiment for people: its settings, then sessions per arm against the weights, then the sample-ratio check.</summary>
public static class ExperimentView
{
    public static async Task WriteAsync(JsonNode experiment, TextWriter output)
    {
        await output.WriteLineAsync($"id:       {JsonText.Cell(experiment["id"])}");
        await output.WriteLineAsync($"name:     {JsonText.Cell(experiment["name"])}");
        await output.WriteLineAsync($"route:    {JsonText.Cell(experiment["route"])}");
        await output.WriteLineAsync($"status:   {JsonText.Cell(experiment["status"])}");
        await output.WriteLineAsync($"traffic:  {JsonText.Cell(experiment["traffic_percent"])}% by {JsonText.Cell(experiment["subject"])}");
        await output.WriteLineAsync();

        var assignments = experiment["assignments"];
        var table = new Table("ARM", "WEIGHT", "TARGET", "SESSIONS");
        foreach (var arm in experiment["arms"]?.AsArray() ?? [])
        {
            var name = JsonText.Cell(arm?["name"]);
            table.Add(name, JsonText.Cell(arm?["weight"]), JsonText.Cell(arm?["target"]), JsonText.Cell(assignments?["arms"]?[name]));
        }
        table.Add("holdout", "", "(the route's own target)", JsonText.Cell(assignments?["holdout"]));
        table.WriteTo(output);

        var ratio = assignments?["sample_ratio"];
        await output.WriteLineAsync();
        await output.WriteLineAsync($"sample ratio: chi-square {JsonText.Cell(ratio?["chi_square"])}, p = {JsonText.Cell(ratio?["p_value"])}"
            + (ratio?["warning"] is { } warning ? $"  WARNING: {JsonText.Cell(warning)}" : ""));
    }
}
