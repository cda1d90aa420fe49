using System.Globalization;
using System.Text.RegularExpressions;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>
/// An operator sees where a new session's set-up time goes: the Gateway times each phase from the upgrade request to
/// session.created, and the Router times its own part (state and routing, the provider connection, tools), both on
/// their /metrics.
/// </summary>
[Collection(PlatformCollection.Name)]
public partial class SessionSetupMetricsTests(EndToEndPlatform platform)
{
    private static readonly string[] GatewayPhases = ["authenticate", "admit", "upgrade", "prepare", "router", "resume_token", "deliver", "total"];
    private static readonly string[] RouterPhases = ["state", "provider", "tools", "total"];

    [Fact]
    public async Task A_new_sessions_set_up_is_timed_phase_by_phase_on_the_Gateway_and_its_Router()
    {
        var gatewayBefore = await ReadAsync("gateway", "voiceplatform_gateway_realtime_setup_duration_milliseconds");
        var routerBefore = await ReadRoutersAsync();

        await using (var client = await platform.ConnectAsync("gpt-realtime-2"))
        {
            await client.ExpectAsync("session.created", TimeSpan.FromSeconds(30));
        }

        // The exporter caches a scrape for a moment: read until the session shows (or the wait runs out and the asserts say what is missing).
        var gateway = await Poll.UntilAsync(async () => Delta(await ReadAsync("gateway", "voiceplatform_gateway_realtime_setup_duration_milliseconds"), gatewayBefore),
            delta => delta.GetValueOrDefault("total").Count >= 1, TimeSpan.FromSeconds(10));
        var router = await Poll.UntilAsync(async () => Delta(await ReadRoutersAsync(), routerBefore),
            delta => delta.GetValueOrDefault("total").Count >= 1, TimeSpan.FromSeconds(10));
        foreach (var phase in GatewayPhases) Assert.True(gateway.GetValueOrDefault(phase).Count >= 1, $"the Gateway did not time '{phase}'");
        foreach (var phase in RouterPhases) Assert.True(router.GetValueOrDefault(phase).Count >= 1, $"the Router did not time '{phase}'");
        // The total spans the phases, and the Gateway's wait for the Router spans the Router's own part.
        Assert.True(gateway["total"].Sum >= gateway["router"].Sum, $"total {gateway["total"].Sum} ms < router {gateway["router"].Sum} ms");
        Assert.True(gateway["total"].Sum > 0);
        Assert.True(router["total"].Sum >= router["provider"].Sum);
    }

    private async Task<Dictionary<string, (double Count, double Sum)>> ReadRoutersAsync()
    {
        var sums = new Dictionary<string, (double Count, double Sum)>();
        foreach (var name in platform.Endpoints.Management.Keys.Where(k => k.StartsWith("router", StringComparison.Ordinal)))
        {
            foreach (var (phase, value) in await ReadAsync(name, "voiceplatform_router_sessions_setup_duration_milliseconds", """resumed="false"""))
            {
                var had = sums.GetValueOrDefault(phase);
                sums[phase] = (had.Count + value.Count, had.Sum + value.Sum);
            }
        }
        return sums;
    }

    /// <summary>Per phase: the histogram's count and sum on one service's /metrics.</summary>
    private async Task<Dictionary<string, (double Count, double Sum)>> ReadAsync(string service, string histogram, string? alsoLabel = null)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{platform.Endpoints.Management[service]}/metrics");
        var found = new Dictionary<string, (double Count, double Sum)>();
        foreach (Match m in Series().Matches(text))
        {
            if (m.Groups["name"].Value != histogram || (alsoLabel is not null && !m.Groups["labels"].Value.Contains(alsoLabel, StringComparison.Ordinal))) continue;
            var phase = Regex.Match(m.Groups["labels"].Value, "phase=\"([^\"]+)\"").Groups[1].Value;
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            var had = found.GetValueOrDefault(phase);
            found[phase] = m.Groups["kind"].Value == "count" ? (had.Count + value, had.Sum) : (had.Count, had.Sum + value);
        }
        return found;
    }

    private static Dictionary<string, (double Count, double Sum)> Delta(Dictionary<string, (double Count, double Sum)> after,
        Dictionary<string, (double Count, double Sum)> before) =>
        after.ToDictionary(e => e.Key, e => (e.Value.Count - before.GetValueOrDefault(e.Key).Count, e.Value.Sum - before.GetValueOrDefault(e.Key).Sum));

    [GeneratedRegex("""(?m)^(?<name>\w+)_(?<kind>count|sum)\{(?<labels>[^}]*)\} (?<value>\S+)$""")]
    private static partial Regex Series();
}
