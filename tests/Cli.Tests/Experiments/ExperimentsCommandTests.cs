using System.Text.Json.Nodes;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Experiments;

[Collection(CliCollection.Name)]
public sealed class ExperimentsCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task An_experiment_runs_through_its_lifecycle_and_reports_sessions_and_usage_per_arm()
    {
        var env = platform.TenantEnvironment;
        var route = await Vp.RunAsync(env, "routes", "create", "cli-voice", "--target", "gpt-realtime-2", "--instructions", "Be brief.");
        Assert.True(route.ExitCode == 0, route.ToString());

        var create = await Vp.RunAsync(env, "experiments", "create", "--name", "cli-ab", "--route", "cli-voice",
            "--arm", "control=gpt-realtime-2@50", "--arm", "gemini=gemini-3.1-flash-live@50");
        Assert.True(create.ExitCode == 0, create.ToString());
        var id = create.Stdout.Trim();
        var start = await Vp.RunAsync(env, "experiments", "start", id);
        foreach (var user in new[] { "alice", "bob", "carol" })
            await TalkTurns.TextTurnAsync(env, "cli-voice", $"hello from {user}", "--user", user);
        var show = await Vp.RunAsync(env, "experiments", "show", id);
        var shown = JsonNode.Parse((await Vp.RunAsync(env, "experiments", "show", id, "--json")).Stdout)!;
        var usage = await Poll.UntilAsync(() => Vp.RunAsync(env, "usage", "--group-by", "arm", "--experiment", id),
            r => r.Stdout.Split('\n').Count(line => line.StartsWith("control ") || line.StartsWith("gemini ")) > 0, TimeSpan.FromSeconds(30));
        var sessions = await Poll.UntilAsync(() => Vp.RunAsync(env, "sessions", "--experiment", id),
            r => r.Stdout.Split('\n').Count(line => line.StartsWith("sess")) == 3, TimeSpan.FromSeconds(30));
        var pause = await Vp.RunAsync(env, "experiments", "pause", id);
        var stop = await Vp.RunAsync(env, "experiments", "stop", id);
        var list = await Vp.RunAsync(env, "experiments", "list");

        Assert.Equal($"{id} running\n", start.Stdout);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Matches(@"(?m)^control\s+50\s+\{""model"":""gpt-realtime-2""\}\s+\d+$", show.Stdout);
        Assert.Matches(@"(?m)^gemini\s+50\s+\{""model"":""gemini-3.1-flash-live""\}\s+\d+$", show.Stdout);
        Assert.Contains("sample ratio: chi-square", show.Stdout);
        var perArm = shown["assignments"]!["arms"]!.AsObject().Sum(a => a.Value!.GetValue<long>());
        Assert.Equal(3, perArm);
        Assert.True(usage.ExitCode == 0, usage.ToString());
        Assert.StartsWith("ARM ", usage.Stdout);
        Assert.Equal(3, sessions.Stdout.Split('\n').Count(line => line.StartsWith("sess")));
        Assert.Equal($"{id} paused\n", pause.Stdout);
        Assert.Equal($"{id} stopped\n", stop.Stdout);
        Assert.Matches($@"(?m)^{id}\s+cli-ab\s+cli-voice\s+stopped\s+100%\s+control@50, gemini@50$", list.Stdout);
    }

    [Fact]
    public async Task An_arm_without_a_target_is_a_usage_error()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "experiments", "create", "--name", "x", "--route", "r", "--arm", "control");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("name=target", result.Stderr);
    }
}
