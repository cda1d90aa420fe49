using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace VoicePlatform.Console.Tests.Browser;

/// <summary>What every console page must pass: axe finds nothing serious or critical; nothing wider than the viewport.</summary>
public static class PageChecks
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var violations = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(violations.Count == 0, $"{page.Url}: axe found " + string.Join("; ", violations.Select(v =>
            $"{v.Impact} {v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    /// <summary>At the desktop and the phone width the page scrolls only vertically (wide tables scroll inside themselves).</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        foreach (var size in new[] { Desktop, Phone })
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] <= widths[1]) continue;
            var wide = await page.EvaluateAsync<string[]>("""
                (width) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                    .slice(-5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)
                """, widths[1]);
            Assert.Fail($"{page.Url} at {size.Width}×{size.Height}: content is {widths[0]} px wide in a {widths[1]} px viewport: {string.Join(", ", wide)}");
        }
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
    }

    /// <summary>The page's checks, then a screenshot (at 1280×800) for the README.</summary>
    public static async Task CheckAndCaptureAsync(ConsoleBrowser browser, string screenshot)
    {
        await AssertAccessibleAsync(browser.Page);
        await AssertNoHorizontalOverflowAsync(browser.Page);
        await browser.ScreenshotAsync(screenshot);
        browser.AssertNoConsoleErrors();
    }
}
