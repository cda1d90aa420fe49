using System.Text.Json.Nodes;
using VoicePlatform.Cli.Tests.Infrastructure;

namespace VoicePlatform.Cli.Tests.Models;

[Collection(CliCollection.Name)]
public sealed class ModelsCommandTests(CliPlatform platform)
{
    [Fact]
    public async Task Lists_the_catalog_as_a_table_and_as_json()
    {
        var table = await Vp.RunAsync(platform.TenantEnvironment, "models");
        var json = await Vp.RunAsync(platform.TenantEnvironment, "models", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.StartsWith("ID ", table.Stdout);
        Assert.Matches(@"(?m)^gpt-realtime-2\s+openai\b", table.Stdout);
        Assert.Matches(@"(?m)^gemini-3.1-flash-live\s+google\b", table.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        var ids = JsonNode.Parse(json.Stdout)!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("gpt-realtime-2", ids);
        Assert.Contains("gemini-3.1-flash-live", ids);
    }
}
