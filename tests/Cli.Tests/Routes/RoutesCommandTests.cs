using VoicePlatform.Cli.Tests.Infrastructure;

namespace VoicePlatform.Cli.Tests.Routes;

[Collection(CliCollection.Name)]
public sealed class RoutesCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task A_route_is_created_listed_shown_talked_to_and_deleted()
    {
        var env = platform.TenantEnvironment;

        var create = await Vp.RunAsync(env, "routes", "create", "cli-fallback", "--target", """{"fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}""");
        var duplicate = await Vp.RunAsync(env, "routes", "create", "cli-fallback", "--target", "gpt-realtime-2");
        var list = await Vp.RunAsync(env, "routes", "list");
        var show = await Vp.RunAsync(env, "routes", "show", "cli-fallback");
        var models = await Vp.RunAsync(env, "models");
        await TalkTurns.TextTurnAsync(env, "cli-fallback", "through a route");
        var delete = await Vp.RunAsync(env, "routes", "delete", "cli-fallback");
        var gone = await Vp.RunAsync(env, "routes", "show", "cli-fallback");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Equal("created route cli-fallback\n", create.Stdout);
        Assert.True(duplicate.ExitCode == 1, duplicate.ToString());
        Assert.Contains("HTTP 409", duplicate.Stderr);
        Assert.Matches(@"(?m)^cli-fallback\s+\{""fallback"":\[", list.Stdout);
        Assert.Contains("gemini-3.1-flash-live", show.Stdout);
        Assert.Matches(@"(?m)^cli-fallback\s+tenant\s+route → ", models.Stdout);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.True(gone.ExitCode == 4, gone.ToString());
    }

    [Fact]
    public async Task A_target_that_is_not_json_is_a_usage_error()
    {
        var result = await Vp.RunAsync(platform.TenantEnvironment, "routes", "create", "cli-bad", "--target", "{not json");

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}
