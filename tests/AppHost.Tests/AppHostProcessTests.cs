using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Tests.Running;
using VoicePlatform.TestSupport;
using Xunit.Abstractions;

namespace VoicePlatform.AppHost.Tests;

/// <summary>The real Aspire app host, as a developer runs it: start-up, endpoints.json, Ctrl-C, restart with the same key.</summary>
[Collection(AppHostProcessCollection.Name)]
public class AppHostProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Starts_healthy_stops_on_ctrl_c_without_orphans_and_keeps_the_dev_key_across_runs()
    {
        var stateDirectory = TestDirectories.Create("apphost");
        try
        {
            string? firstKey;
            await using (var first = await AppHostProcess.StartAsync(stateDirectory, output))
            {
                firstKey = first.Endpoints.GetProperty("devApiKey").GetString();
                Assert.StartsWith("vpk_", firstKey);
                using (var http = new HttpClient())
                {
                    // Health is on the Gateway's management port, which endpoints.json lists.
                    var gateway = first.Endpoints.GetProperty("management").GetProperty("gateway").GetString();
                    using var health = await http.GetAsync($"{gateway}/health");
                    Assert.True(health.IsSuccessStatusCode, await health.Content.ReadAsStringAsync());
                    // The dashboard answers where endpoints.json says.
                    using var dashboard = await http.GetAsync(first.Endpoints.GetProperty("dashboard").GetString());
                    Assert.True(dashboard.IsSuccessStatusCode, $"dashboard: {dashboard.StatusCode}");
                }
                Assert.NotNull(first.DashboardLogin);
                using (var browserless = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
                {
                    // The printed console link signs the development tenant in (a redirect to the Overview with the cookie).
                    using var signIn = await browserless.GetAsync(first.Endpoints.GetProperty("consoleSignIn").GetString());
                    Assert.Equal("/", signIn.Headers.Location?.OriginalString);
                    Assert.StartsWith(first.Endpoints.GetProperty("console").GetString()!, first.Endpoints.GetProperty("consoleSignIn").GetString());
                }
                var tree = first.ProcessTree();
                Assert.True(tree.Count >= 13, $"expected the orchestrator and every resource in AppHost's process tree, saw {tree.Count}: {string.Join(", ", tree.Select(ProcessTree.Describe))}");

                await first.StopAsync(PosixSignals.SIGINT);
                Assert.Equal(0, first.Process.ExitCode);
                // DCP stops the resources as AppHost shuts down; wait for the processes to go, not a fixed time.
                var survivors = await Poll.UntilAsync(() => Task.FromResult(tree.Where(ProcessTree.IsAlive).ToList()), s => s.Count == 0, TimeSpan.FromSeconds(30));
                Assert.True(survivors.Count == 0, $"processes left behind: {string.Join(", ", survivors.Select(ProcessTree.Describe))}");
            }

            await using var second = await AppHostProcess.StartAsync(stateDirectory, output);
            Assert.Equal(firstKey, second.Endpoints.GetProperty("devApiKey").GetString());
            var secondTree = second.ProcessTree();
            await second.StopAsync(PosixSignals.SIGTERM);
            Assert.Equal(0, second.Process.ExitCode);
            var secondSurvivors = await Poll.UntilAsync(() => Task.FromResult(secondTree.Where(ProcessTree.IsAlive).ToList()), s => s.Count == 0, TimeSpan.FromSeconds(30));
            Assert.True(secondSurvivors.Count == 0, $"processes left behind after SIGTERM: {string.Join(", ", secondSurvivors.Select(ProcessTree.Describe))}");
        }
        finally
        {
            TestDirectories.TryDelete(stateDirectory);
        }
    }
}
