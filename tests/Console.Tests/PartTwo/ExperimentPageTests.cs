using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Console.Tests.PartTwo;

/// <summary>
/// A route and an experiment made in the console, started there, sessions through the Gateway on the route: the
/// experiment's page counts each arm's sessions as the clients were told them (session.created's routing.arm).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ExperimentPageTests(ConsolePlatform platform)
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_experiment_created_and_started_in_the_console_counts_the_sessions_of_each_arm()
    {
        var route = $"exp-{Guid.NewGuid():N}"[..16];
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        var page = browser.Page;

        await browser.GotoAsync("/models");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(route);
        await page.GetByLabel("Target", new() { Exact = true }).FillAsync("gpt-realtime-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save route" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("route-table")).ToContainTextAsync(route);

        await browser.GotoAsync("/experiments");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("fast-or-mini");
        await page.GetByLabel("Route it splits").SelectOptionAsync(route);
        await page.GetByLabel("Arm 1 name").FillAsync("control");
        await page.GetByLabel("Arm 1 target").FillAsync("gpt-realtime-2");
        await page.GetByLabel("Arm 2 name").FillAsync("mini");
        await page.GetByLabel("Arm 2 target").FillAsync("gpt-realtime-mini");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("experiment-status")).ToHaveTextAsync("draft");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("experiment-status")).ToHaveTextAsync("running");

        var perArm = await RunUntilEachArmHasAsync(route, sessionsPerArm: 2);

        foreach (var (arm, sessions) in perArm)
        {
            var row = page.Locator($"[data-testid=assignment-table] tr[data-arm='{arm}']");
            await Poll.UntilAsync(async () =>
            {
                await page.ReloadAsync();
                return (await row.GetByTestId("arm-sessions").TextContentAsync(), await row.GetByTestId("arm-measured").TextContentAsync());
            }, counts => counts == (sessions.ToString(), sessions.ToString()), TimeSpan.FromSeconds(60));
        }
        await Assertions.Expect(page.GetByTestId("results-table")).ToContainTextAsync("response_latency_ms");
        await PageChecks.CheckAndCaptureAsync(browser, "experiment-results.png");

        await browser.GotoAsync("/experiments");
        await Assertions.Expect(page.GetByTestId("experiment-table")).ToContainTextAsync(route);
        await PageChecks.CheckAndCaptureAsync(browser, "experiments.png");
    }

    [Fact]
    public async Task An_experiment_the_Router_refuses_shows_its_reason_and_stays_on_the_form()
    {
        var route = $"bad-{Guid.NewGuid():N}"[..16];
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        var page = browser.Page;
        await browser.GotoAsync("/models");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(route);
        await page.GetByLabel("Target", new() { Exact = true }).FillAsync("gpt-realtime-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save route" }).ClickAsync();

        await browser.GotoAsync("/experiments");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("one-arm-only");
        await page.GetByLabel("Route it splits").SelectOptionAsync(route);
        await page.GetByLabel("Arm 1 name").FillAsync("only");
        await page.GetByLabel("Arm 1 target").FillAsync("gpt-realtime-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("form-error")).ToBeVisibleAsync();
        Assert.EndsWith("/experiments", new Uri(page.Url).AbsolutePath);
        browser.AssertNoConsoleErrors();
    }

    /// <summary>Sessions of new users on the route until each arm has had <paramref name="sessionsPerArm"/>; the arms as clients saw them.</summary>
    private async Task<Dictionary<string, int>> RunUntilEachArmHasAsync(string route, int sessionsPerArm)
    {
        var perArm = new Dictionary<string, int>();
        for (var i = 0; perArm.Count < 2 || perArm.Values.Any(n => n < sessionsPerArm); i++)
        {
            Assert.True(i < 40, $"{i} sessions and still not {sessionsPerArm} per arm: {string.Join(", ", perArm)}");
            var uri = new Uri($"{platform.Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?model={route}&user=console-user-{i}");
            await using var client = await RealtimeTestClient.ConnectAsync(uri, platform.Endpoints.DevApiKey);
            var arm = (await client.ExpectAsync("session.created", Turn)).GetProperty("routing").Str("arm");
            await client.SendAsync(new
            {
                type = "conversation.item.create",
                item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hello" } } },
            });
            await client.SendAsync(new { type = "response.create" });
            await client.CollectUntilAsync("response.done", Turn);
            perArm[arm] = perArm.GetValueOrDefault(arm) + 1;
        }
        return perArm;
    }
}
