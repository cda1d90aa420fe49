using System.CommandLine;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Experiments;

/// <summary><c>vp experiments list|show|create|start|pause|stop</c>: <c>/v1/experiments</c>, A/B splits of a route's sessions.</summary>
public static class ExperimentsCommand
{
    private static readonly Argument<string> Id = new("id") { Description = "The experiment's id (exp_…)" };
    private static readonly Option<string> Name = new("--name") { Description = "The experiment's name", Required = true };
    private static readonly Option<string> Route = new("--route") { Description = "The route whose sessions it splits", Required = true };
    private static readonly Option<string[]> Arms = new("--arm")
    {
        Description = "An arm, name=target[@weight] (2–8 arms), e.g. control=gpt-realtime-2@50",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<int> Traffic = new("--traffic") { Description = "Percent of subjects taking part (1–100)", DefaultValueFactory = _ => 100 };
    private static readonly Option<string> Subject = new Option<string>("--subject")
    {
        Description = "Assign arms per user (the session's subject) or per session",
        DefaultValueFactory = _ => "user",
    }.AcceptOnlyFromAmong("user", "session");

    public static Command Create()
    {
        var list = new Command("list", "List your experiments");
        CommandContext.SetAction(list, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, "/v1/experiments", ct: ct);
            if (context.Json) return await Print(context, body);
            var table = new Table("ID", "NAME", "ROUTE", "STATUS", "TRAFFIC", "ARMS");
            foreach (var experiment in JsonNode.Parse(body)?["data"]?.AsArray() ?? [])
                table.Add(JsonText.Cell(experiment?["id"]), JsonText.Cell(experiment?["name"]), JsonText.Cell(experiment?["route"]),
                    JsonText.Cell(experiment?["status"]), $"{JsonText.Cell(experiment?["traffic_percent"])}%",
                    string.Join(", ", (experiment?["arms"]?.AsArray() ?? []).Select(a => $"{JsonText.Cell(a?["name"])}@{JsonText.Cell(a?["weight"])}")));
            table.WriteTo(context.Out);
            return 0;
        });

        var show = new Command("show", "Show an experiment with sessions per arm and the sample-ratio check") { Id };
        CommandContext.SetAction(show, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, Path(context.Parse), ct: ct);
            if (context.Json) return await Print(context, body);
            await ExperimentView.WriteAsync(JsonNode.Parse(body) ?? new JsonObject(), context.Out);
            return 0;
        });

        var create = new Command("create", "Create an experiment (a draft; start it with 'vp experiments start')") { Name, Route, Arms, Traffic, Subject };
        CommandContext.SetAction(create, async (context, ct) =>
        {
            var body = new JsonObject
            {
                ["name"] = context.Parse.GetRequiredValue(Name),
                ["route"] = context.Parse.GetRequiredValue(Route),
                ["traffic_percent"] = context.Parse.GetValue(Traffic),
                ["subject"] = context.Parse.GetValue(Subject),
                ["arms"] = new JsonArray([.. context.Parse.GetRequiredValue(Arms).Select(ArmArgument.Parse)]),
            };
            using var api = context.TenantApi();
            var answer = await api.SendAsync(HttpMethod.Post, "/v1/experiments", body, ct: ct);
            if (context.Json) return await Print(context, answer);
            // The id alone, so that EXP=$(vp experiments create …) works.
            await context.Out.WriteLineAsync(JsonText.Cell(JsonNode.Parse(answer)?["id"]));
            return 0;
        });

        var command = new Command("experiments", "Manage experiments (/v1/experiments)") { list, show, create };
        foreach (var action in new[] { "start", "pause", "stop" })
            command.Subcommands.Add(Lifecycle(action));
        return command;
    }

    private static Command Lifecycle(string action)
    {
        var command = new Command(action, $"{char.ToUpperInvariant(action[0])}{action[1..]} an experiment") { Id };
        CommandContext.SetAction(command, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Post, $"{Path(context.Parse)}/{action}", ct: ct);
            if (context.Json) return await Print(context, body);
            var experiment = JsonNode.Parse(body);
            await context.Out.WriteLineAsync($"{JsonText.Cell(experiment?["id"])} {JsonText.Cell(experiment?["status"])}");
            return 0;
        });
        return command;
    }

    private static string Path(ParseResult parse) => $"/v1/experiments/{Uri.EscapeDataString(parse.GetRequiredValue(Id))}";

    private static async Task<int> Print(CommandContext context, string body)
    {
        await context.Out.WriteLineAsync(body);
        return 0;
    }
}
