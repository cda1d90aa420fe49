using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VoicePlatform.AppHost.Tests.Running;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using Xunit.Abstractions;

namespace VoicePlatform.AppHost.Tests;

/// <summary>
/// The Aspire Dashboard of a running AppHost, in Debian's headless <c>chromium</c> driven by Playwright (the dashboard
/// is a Blazor app: only a script-driven browser sees what it renders): every resource Running on the Resources page,
/// and a realtime session as one trace across the Gateway and a Router on the Traces page.
/// </summary>
[Collection(AppHostProcessCollection.Name)]
public class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string SystemChromium = "/usr/bin/chromium";
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _browserConsole = new();

    /// <summary>Resources that run for as long as AppHost does (not the one-shot initdb, not the provider-key parameters).</summary>
    private static readonly string[] LongRunning =
    [
        "postgres", "postgres-gateway", "postgres-router", "postgres-tools", "postgres-transcripts", "postgres-billing", "postgres-insights",
        "redis", "rabbitmq", "rabbitmq-epmd", "openai-emulator", "gemini-emulator",
        "tools", "transcripts", "billing", "insights", "router-1", "router-2", "gateway",
    ];

    [Fact]
    public async Task Dashboard_shows_every_resource_running_and_a_realtime_session_as_one_trace()
    {
        Assert.True(File.Exists(SystemChromium), $"{SystemChromium} is missing: run scripts/bootstrap.sh (apt-get install chromium).");
        var stateDirectory = TestDirectories.Create("dashboard");
        try
        {
            await using var appHost = await AppHostProcess.StartAsync(stateDirectory, output);
            Assert.NotNull(appHost.DashboardLogin);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = SystemChromium, Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1300 } });
            // The dashboard is a Blazor Server app: when it shows "An unhandled error has occurred", the cause is in the
            // browser console; it goes into any failure message below.
            page.Console += (_, message) => { if (message.Type is "error" or "warning") _browserConsole.Enqueue($"{message.Type}: {message.Text}"); };
            page.PageError += (_, error) => _browserConsole.Enqueue($"page error: {error}");

            // The login link sets the dashboard's cookie and lands on the Resources page.
            await page.GotoAsync(appHost.DashboardLogin!);
            foreach (var name in LongRunning) await ExpectRowAsync(page, name, new Regex("Running"));
            await ExpectRowAsync(page, "postgres-init", new Regex("Finished|Exited"));
            await SaveScreenshotAsync(page, "aspire-dashboard.png");

            // One text turn through Gateway → Router → emulator, then the session ends (its spans are exported as they end).
            var gateway = appHost.Endpoints.GetProperty("gateway").GetString()!;
            var apiKey = appHost.Endpoints.GetProperty("devApiKey").GetString()!;
            await using (var client = await RealtimeTestClient.ConnectAsync(new Uri($"{gateway.Replace("http://", "ws://")}/v1/realtime?model=gpt-realtime-2"), apiKey))
            {
                await client.ExpectAsync("session.created", Turn);
                await client.SendAsync(new
                {
                    type = "conversation.item.create",
                    item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "Hello dashboard" } } },
                });
                await client.SendAsync(new { type = "response.create" });
                await client.CollectUntilAsync("response.done", Turn);
            }

            await page.GotoAsync(new Uri(new Uri(appHost.Endpoints.GetProperty("dashboard").GetString()!), "/traces").AbsoluteUri);
            var sessionTrace = page.GetByRole(AriaRole.Row).Filter(new LocatorFilterOptions { HasText = "/v1/realtime" }).Filter(new LocatorFilterOptions { HasText = "router-" });
            await WithGridOnFailureAsync(page, "the realtime session's trace (Gateway and a Router)",
                () => Assertions.Expect(sessionTrace.First).ToContainTextAsync("gateway", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 }));
            // The trace's own page: its spans across the resources. New traces keep streaming into the list (Insights,
            // Billing); a row re-rendered under the click swallows it, so the list is paused first, and the click is
            // followed by the trace page's own address.
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Pause incoming data" }).ClickAsync();
            await sessionTrace.First.GetByText("/v1/realtime").First.ClickAsync();
            await page.WaitForURLAsync(new Regex("/traces/detail/"), new PageWaitForURLOptions { Timeout = 30_000 });
            await WithGridOnFailureAsync(page, "the trace's spans from a Router",
                () => Assertions.Expect(page.GetByText(new Regex("router-\\d")).First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 }));
            await SaveScreenshotAsync(page, "aspire-dashboard-trace.png");
        }
        finally
        {
            TestDirectories.TryDelete(stateDirectory);
        }
    }

    /// <summary>Waits until the Resources grid's row for <paramref name="name"/> shows <paramref name="state"/>.</summary>
    private Task ExpectRowAsync(IPage page, string name, Regex state)
    {
        var row = page.GetByRole(AriaRole.Row).Filter(new LocatorFilterOptions { Has = page.GetByText(name, new PageGetByTextOptions { Exact = true }) });
        return WithGridOnFailureAsync(page, $"{name} {state}",
            () => Assertions.Expect(row.First).ToContainTextAsync(state, new LocatorAssertionsToContainTextOptions { Timeout = 30_000 }));
    }

    /// <summary>Runs a browser assertion; its failure message lists what the page's grid showed instead.</summary>
    private async Task WithGridOnFailureAsync(IPage page, string expected, Func<Task> assertion)
    {
        try
        {
            await assertion();
        }
        catch (PlaywrightException ex)
        {
            var rows = await page.GetByRole(AriaRole.Row).AllInnerTextsAsync();
            Assert.Fail($"expected {expected}: {ex.Message}{Environment.NewLine}rows:{Environment.NewLine}{string.Join(Environment.NewLine, rows.Select(r => r.ReplaceLineEndings(" | ")))}"
                + $"{Environment.NewLine}browser console (errors and warnings):{Environment.NewLine}{string.Join(Environment.NewLine, _browserConsole.TakeLast(40))}");
        }
    }

    /// <summary>Kept for the README when VOICEPLATFORM_SCREENSHOTS names a directory (docs/screenshots), else in the test output.</summary>
    private async Task SaveScreenshotAsync(IPage page, string fileName)
    {
        var directory = Environment.GetEnvironmentVariable("VOICEPLATFORM_SCREENSHOTS") ?? AppContext.BaseDirectory;
        var path = Path.Combine(directory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
