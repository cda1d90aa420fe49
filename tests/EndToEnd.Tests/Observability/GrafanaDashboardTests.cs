using System.Text.Json;
using System.Text.RegularExpressions;
using VoicePlatform.EndToEnd.Tests.Realtime;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Observability;

/// <summary>
/// The Grafana dashboard shipped with the Kubernetes manifests (infra/k8s/components/grafana-dashboard) queries only
/// metrics the services really export: after a session with a response, a rejected message, a client resume and billed
/// usage, every metric its queries name is on some service's <c>/metrics</c> (Prometheus naming, unit suffixes included).
/// </summary>
[Collection(PlatformCollection.Name)]
public partial class GrafanaDashboardTests(EndToEndPlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported()
    {
        var queried = DashboardMetrics();
        Assert.NotEmpty(queried);

        var first = await platform.ConnectAsync("gpt-realtime-2");
        var resume = (await first.ExpectAsync("session.created", Turn)).GetProperty("resume");
        await first.SendAsync(new { type = "no.such.event", event_id = "bad_1" });
        await first.ExpectAsync("error", Turn);
        await RealtimeConversationTests.SendUserTextAsync(first, "dashboard");
        await first.CollectUntilAsync("response.done", Turn);
        first.Socket.Abort();
        await first.DisposeAsync();
        await using (var second = await RealtimeTestClient.ConnectAsync(
            new Uri($"{platform.SecondGateway.Replace("http://", "ws://")}/v1/realtime?session_id={resume.Str("session_id")}&resume_token={Uri.EscapeDataString(resume.Str("token"))}"),
            platform.Endpoints.DevApiKey))
        {
            await second.ExpectAsync("session.resumed", Turn);
        }

        using var http = new HttpClient();
        var missing = await Poll.UntilAsync(async () =>
        {
            var exported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var management in platform.Endpoints.Management.Values)
            {
                try
                {
                    foreach (Match name in ExportedName().Matches(await http.GetStringAsync($"{management}/metrics"))) exported.Add(name.Groups[1].Value);
                }
                catch (HttpRequestException)
                {
                    // An emulator without /metrics: it exports nothing the dashboard needs.
                }
            }
            return queried.Where(m => !exported.Contains(m)).ToList();
        }, m => m.Count == 0, TimeSpan.FromSeconds(30));
        Assert.True(missing.Count == 0, $"the dashboard queries metrics no service exports: {string.Join(", ", missing)}");
    }

    /// <summary>Every metric name in the dashboard's PromQL (the repository's copy, as the component ships it).</summary>
    private static List<string> DashboardMetrics()
    {
        var path = Path.Combine(VoicePlatform.AppHost.Platform.PlatformOptions.FindRepositoryRoot(), "infra", "k8s", "components", "grafana-dashboard", "dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => QueriedName().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Value))
            .Distinct()];
    }

    [GeneratedRegex(@"voiceplatform_[a-z0-9_]+")]
    private static partial Regex QueriedName();

    [GeneratedRegex(@"(?m)^(voiceplatform_[a-z0-9_]+)[{ ]")]
    private static partial Regex ExportedName();
}
