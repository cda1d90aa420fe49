using System.Text.Json.Nodes;
using VoicePlatform.Cli.Tests.Infrastructure;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Cli.Tests.Usage;

[Collection(CliCollection.Name)]
public sealed class UsageCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task Shows_usage_per_model_and_per_day_after_a_talk()
    {
        await TalkTurns.TextTurnAsync(platform.TenantEnvironment, "gpt-realtime-2", "bill me");

        // Usage reaches Billing's ledger over the bus.
        var byModel = await Poll.UntilAsync(() => Vp.RunAsync(platform.TenantEnvironment, "usage", "--group-by", "model"),
            r => r.Stdout.Split('\n').Any(line => line.StartsWith("gpt-realtime-2 ")), TimeSpan.FromSeconds(30));
        var byDay = await Vp.RunAsync(platform.TenantEnvironment, "usage");
        var json = await Vp.RunAsync(platform.TenantEnvironment, "usage", "--group-by", "session", "--json");

        Assert.True(byModel.ExitCode == 0, byModel.ToString());
        Assert.StartsWith("MODEL ", byModel.Stdout);
        Assert.Matches(@"(?m)^gpt-realtime-2\s+[1-9]\d*\s+[1-9]\d*\s", byModel.Stdout);
        Assert.Matches(@"(?m)^total: \d+\.\d+ USD$", byModel.Stdout);
        Assert.True(byDay.ExitCode == 0, byDay.ToString());
        Assert.Matches($@"(?m)^{DateTime.UtcNow:yyyy-MM-dd}", byDay.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("session", JsonNode.Parse(json.Stdout)!["group_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Grouping_by_arm_without_an_experiment_is_the_servers_400()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "usage", "--group-by", "arm");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("HTTP 400 invalid_value", result.Stderr);
    }
}
