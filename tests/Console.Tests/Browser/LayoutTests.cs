using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace VoicePlatform.Console.Tests.Browser;

/// <summary>Every part-1 page at a desktop and a phone size: no horizontal overflow, no serious accessibility violations.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LayoutTests(ConsolePlatform platform)
{
    public static TheoryData<int, int> Viewports => new() { { 1280, 800 }, { 390, 844 } };

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Pages_fit_the_width_and_pass_axe(int width, int height)
    {
        var sessionId = await platform.DevSessionAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console, width, height);
        await browser.GotoAsync("/login");
        await CheckAsync(browser, "sign-in", width);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        foreach (var (path, name) in new[] { ("/", "overview"), ("/sessions", "sessions"), ($"/sessions/{sessionId}", "session-detail") })
        {
            await browser.GotoAsync(path);
            await browser.Page.Locator("main h1").WaitForAsync();
            await CheckAsync(browser, name, width);
        }
        await browser.GotoAsync("/sessions?q=second");
        await Assertions.Expect(browser.Page.GetByTestId("search-results").GetByRole(AriaRole.Link, new() { Name = sessionId }).First).ToBeVisibleAsync();
        await CheckAsync(browser, "sessions-search", width);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_keyboard_reaches_the_navigation()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        var reached = false;
        for (var presses = 0; presses < 8 && !reached; presses++)
        {
            await browser.Page.Keyboard.PressAsync("Tab");
            reached = await browser.Page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('nav[aria-label=Main]')");
        }
        Assert.True(reached, "Tab never focused a link of the main navigation");
        await browser.Page.Keyboard.PressAsync("Enter");
        await browser.Page.Locator("main h1").WaitForAsync();
    }

    private static async Task CheckAsync(ConsoleBrowser browser, string name, int width)
    {
        var overflow = await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        if (overflow > 0)
        {
            var widest = await browser.Page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
                    .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replaceAll(' ', '.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))
                """);
            Assert.Fail($"{name} at {width} px overflows horizontally by {overflow} px: {string.Join(", ", widest)}");
        }

        AxeResult axe = await browser.Page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{name} at {width} px: " + string.Join("; ",
            serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
        // The desktop Overview and session detail are shot by their own tests, in the state they test (live call, playing line).
        if (width < 600) await browser.ScreenshotAsync($"console-{name}-phone.png");
        else if (name is not ("overview" or "session-detail")) await browser.ScreenshotAsync($"console-{name}.png");
    }
}
