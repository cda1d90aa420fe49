using System.CommandLine;
using System.Text.Json.Nodes;

namespace VoicePlatform.Cli.Sessions;

/// <summary><c>vp sessions [--follow]</c>: <c>GET /v1/sessions</c>, newest first; <c>--follow</c> polls and prints starts and ends as they happen.</summary>
public static class SessionsCommand
{
    private static readonly Option<int> Limit = new("--limit") { Description = "How many sessions (1–100)", DefaultValueFactory = _ => 20 };
    private static readonly Option<string?> Model = new("--model") { Description = "Only sessions of this model" };
    private static readonly Option<string?> Route = new("--route") { Description = "Only sessions of this route" };
    private static readonly Option<string?> Experiment = new("--experiment") { Description = "Only sessions this experiment placed" };
    private static readonly Option<string?> Arm = new("--arm") { Description = "Only sessions of this experiment arm" };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep watching: print sessions as they start and end (Ctrl-C stops)" };
    private static readonly Option<TimeSpan> Interval = new("--interval")
    {
        Description = "How often --follow asks the server",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(2),
    };

    public static Command Create()
    {
        var command = new Command("sessions", "List sessions (GET /v1/sessions)") { Limit, Model, Route, Experiment, Arm, Follow, Interval };
        CommandContext.SetAction(command, async (context, ct) =>
        {
            using var api = context.TenantApi();
            var query = Query(context.Parse);
            if (context.Parse.GetValue(Follow))
                return await new SessionFollower(api, query, context.Json, context.Out, context.Parse.GetValue(Interval), TimeProvider.System).RunAsync(ct);

            var body = await api.SendAsync(HttpMethod.Get, "/v1/sessions" + query, ct: ct);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(body);
                return 0;
            }
            var table = SessionRows.NewTable();
            foreach (var session in JsonNode.Parse(body)?["data"]?.AsArray() ?? [])
                if (session is not null) SessionRows.Add(table, session);
            table.WriteTo(context.Out);
            return 0;
        });
        return command;
    }

    private static string Query(ParseResult parse)
    {
        var parts = new List<string> { $"limit={parse.GetValue(Limit)}" };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("model", parse.GetValue(Model));
        Add("route", parse.GetValue(Route));
        Add("experiment", parse.GetValue(Experiment));
        Add("arm", parse.GetValue(Arm));
        return "?" + string.Join('&', parts);
    }
}
