using Microsoft.Playwright;
using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests.ApiDocs;

/// <summary>
/// <c>/docs</c> in a real browser (Debian's <c>chromium</c>, headless, driven by Playwright): the page renders the
/// OpenAPI document — its title and an operation — with every request to another host refused, as offline.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiReferenceBrowserTests(EndToEndPlatform platform)
{
    // Playwright's own browser download needs the internet; the system browser is used (scripts/bootstrap.sh installs it).
    private const string SystemChromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_docs_page_renders_the_api_reference_without_the_internet()
    {
        Assert.True(File.Exists(SystemChromium), $"{SystemChromium} is missing: run scripts/bootstrap.sh (apt-get install chromium).");
        var gateway = new Uri(platform.Endpoints.Gateway);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync();
        var elsewhere = new List<string>();
        await page.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" or "https" && url.Authority != gateway.Authority)
            {
                lock (elsewhere) elsewhere.Add(route.Request.Url);
                await route.AbortAsync("internetdisconnected");
                return;
            }
            await route.ContinueAsync();
        });

        var response = await page.GotoAsync(new Uri(gateway, "/docs").AbsoluteUri);
        Assert.True(response?.Ok, $"GET /docs: {response?.Status}");

        // Rendered from /openapi/v1.json by the bundle: the document's title and an operation's summary.
        var title = page.GetByRole(AriaRole.Heading, new() { Name = "VoicePlatform API" });
        await title.First.WaitForAsync(new() { Timeout = 30_000 });
        await page.GetByText("List the catalog's models").First.WaitForAsync(new() { Timeout = 30_000 });

        lock (elsewhere) Assert.True(elsewhere.Count == 0, "the page asked the internet for: " + string.Join(", ", elsewhere));
    }
}
