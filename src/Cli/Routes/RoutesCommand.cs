using System.CommandLine;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Output;

namespace VoicePlatform.Cli.Routes;

/// <summary><c>vp routes list|show|create|delete</c>: <c>/v1/routes</c>, names of yours that clients use as their model.</summary>
public static class RoutesCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "The route's name" };
    private static readonly Option<string> Target = new("--target")
    {
        Description = "A model or route name, or the target's JSON (e.g. '{\"fallback\":[\"gpt-realtime-2\",\"gemini-3.1-flash-live\"]}')",
        Required = true,
    };
    private static readonly Option<string?> Instructions = new("--instructions") { Description = "Session instructions the route applies" };
    private static readonly Option<string?> Description = new("--description") { Description = "What the route is for" };

    public static Command Create()
    {
        var list = new Command("list", "List your routes");
        CommandContext.SetAction(list, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, "/v1/routes", ct: ct);
            if (context.Json) return await Print(context, body);
            var table = new Table("NAME", "TARGET", "DESCRIPTION");
            foreach (var route in JsonNode.Parse(body)?["data"]?.AsArray() ?? [])
                table.Add(JsonText.Cell(route?["name"]), JsonText.Cell(route?["target"]), JsonText.Cell(route?["description"]));
            table.WriteTo(context.Out);
            return 0;
        });

        var show = new Command("show", "Show one route") { Name };
        CommandContext.SetAction(show, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var body = await api.SendAsync(HttpMethod.Get, Path(context.Parse), ct: ct);
            if (context.Json) return await Print(context, body);
            var route = JsonNode.Parse(body) ?? new JsonObject();
            await context.Out.WriteLineAsync($"name:        {JsonText.Cell(route["name"])}");
            await context.Out.WriteLineAsync($"target:      {JsonText.Cell(route["target"])}");
            await context.Out.WriteLineAsync($"description: {JsonText.Cell(route["description"])}");
            await context.Out.WriteLineAsync($"updated:     {JsonText.UnixTime(route["updated_at"])}");
            return 0;
        });

        var create = new Command("create", "Create a route (409 if the name exists)") { Name, Target, Instructions, Description };
        CommandContext.SetAction(create, async (context, ct) =>
        {
            var body = new JsonObject
            {
                ["name"] = context.Parse.GetRequiredValue(Name),
                ["target"] = TargetArgument.Parse(context.Parse.GetRequiredValue(Target), context.Parse.GetValue(Instructions)),
            };
            if (context.Parse.GetValue(Description) is { } description) body["description"] = description;
            using var api = context.TenantApi();
            var answer = await api.SendAsync(HttpMethod.Post, "/v1/routes", body, ct: ct);
            if (context.Json) return await Print(context, answer);
            await context.Out.WriteLineAsync($"created route {JsonText.Cell(JsonNode.Parse(answer)?["name"])}");
            return 0;
        });

        var delete = new Command("delete", "Delete a route (409 while an experiment or another route uses it)") { Name };
        CommandContext.SetAction(delete, async (context, ct) =>
        {
            using var api = context.TenantApi();
            await api.SendAsync(HttpMethod.Delete, Path(context.Parse), ct: ct);
            await context.Out.WriteLineAsync($"deleted route {context.Parse.GetRequiredValue(Name)}");
            return 0;
        });

        return new Command("routes", "Manage routes (/v1/routes)") { list, show, create, delete };
    }

    private static string Path(ParseResult parse) => $"/v1/routes/{Uri.EscapeDataString(parse.GetRequiredValue(Name))}";

    private static async Task<int> Print(CommandContext context, string body)
    {
        await context.Out.WriteLineAsync(body);
        return 0;
    }
}
