using System.CommandLine;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Usage;

/// <summary><c>vp usage [--group-by day|model|session|arm] [--experiment id] [--from] [--to]</c>: <c>GET /v1/usage</c>.</summary>
public static class UsageCommand
{
    private static readonly Option<string> GroupBy = new Option<string>("--group-by")
    {
        Description = "Bucket by day, model, session or arm (arm needs --experiment)",
        DefaultValueFactory = _ => "day",
    }.AcceptOnlyFromAmong("day", "model", "session", "arm");

    private static readonly Option<string?> Experiment = new("--experiment") { Description = "Only the sessions this experiment placed" };
    private static readonly Option<string?> From = new("--from") { Description = "Start (ISO 8601 date or date-time, or Unix seconds; default 30 days ago)" };
    private static readonly Option<string?> To = new("--to") { Description = "End, exclusive (default now)" };

    public static Command Create()
    {
        var command = new Command("usage", "Tokens, sessions and cost (GET /v1/usage)") { GroupBy, Experiment, From, To };
        CommandContext.SetAction(command, async (context, ct) =>
        {
            var query = $"?group_by={context.Parse.GetValue(GroupBy)}";
            foreach (var (name, value) in new[] { ("experiment", context.Parse.GetValue(Experiment)), ("from", context.Parse.GetValue(From)), ("to", context.Parse.GetValue(To)) })
                if (!string.IsNullOrEmpty(value)) query += $"&{name}={Uri.EscapeDataString(value)}";

            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, "/v1/usage" + query, ct: ct);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(body);
                return 0;
            }
            var report = JsonNode.Parse(body) ?? new JsonObject();
            var table = new Table(JsonText.Cell(report["group_by"]).ToUpperInvariant(), "SESSIONS", "EVENTS", "AUDIO IN", "AUDIO OUT", "TEXT IN", "TEXT OUT", "COST USD");
            foreach (var bucket in report["data"]?.AsArray() ?? [])
            {
                var tokens = bucket?["tokens"];
                table.Add(JsonText.Cell(bucket?["key"]), JsonText.Cell(bucket?["sessions"]), JsonText.Cell(bucket?["events"]),
                    JsonText.Cell(tokens?["input_audio"]), JsonText.Cell(tokens?["output_audio"]),
                    JsonText.Cell(tokens?["input_text"]), JsonText.Cell(tokens?["output_text"]), JsonText.Cell(bucket?["cost_usd"]));
            }
            table.WriteTo(context.Out);
            await context.Out.WriteLineAsync($"total: {JsonText.Cell(report["total_cost_usd"])} USD");
            return 0;
        });
        return command;
    }
}
