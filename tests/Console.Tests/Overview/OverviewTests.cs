using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Console.Tests.Overview;

[Collection(ConsoleCollection.Name)]
public sealed class OverviewTests(ConsolePlatform platform)
{
    [Fact]
    public async Task The_overview_shows_a_session_just_run_and_counts_live_sessions_without_reload()
    {
        var sessionId = await platform.DevSessionAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        await Assertions.Expect(browser.Page.GetByTestId("session-table").GetByRole(AriaRole.Link, new() { Name = sessionId })).ToBeVisibleAsync();
        var live = browser.Page.GetByTestId("live-sessions");
        await Assertions.Expect(live).ToHaveTextAsync("0");

        // The interactive card polls /v1/limits: a session opened now shows up in the page as it is.
        await using (var client = await RealtimeTestClient.ConnectAsync(platform.RealtimeUri("gpt-realtime-2"), platform.Endpoints.DevApiKey))
        {
            await client.ExpectAsync("session.created");
            await Assertions.Expect(live).ToHaveTextAsync("1");
            await browser.ScreenshotAsync("console-overview.png");
        }
        await Assertions.Expect(live).ToHaveTextAsync("0");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_tenant_without_sessions_is_shown_how_to_connect_without_its_key()
    {
        var key = await platform.CreateTenantKeyAsync("console-empty-tenant");
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(key);

        var empty = browser.Page.GetByTestId("empty-state");
        await Assertions.Expect(empty).ToContainTextAsync("No sessions yet — connect with");
        await Assertions.Expect(empty).ToContainTextAsync(platform.Endpoints.Gateway);
        Assert.DoesNotContain(key, await browser.Page.ContentAsync());
        await browser.ScreenshotAsync("console-overview-empty.png");
    }
}
