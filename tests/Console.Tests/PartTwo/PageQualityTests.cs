using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;

namespace VoicePlatform.Console.Tests.PartTwo;

/// <summary>Every part-2 page: renders, no console errors, axe clean of serious/critical, no horizontal overflow on desktop or phone; screenshots for the README.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageQualityTests(ConsolePlatform platform)
{
    public static TheoryData<string, string, string?> TenantPages => new()
    {
        { "/experiments", "Experiments", null },
        { "/models", "Models & routes", "models.png" },
        { "/usage", "Usage & billing", "usage.png" },
        { "/keys", "API keys", null },
        { "/tools", "Tools", null },
        { "/settings", "Settings", "settings.png" },
        { "/reference", "API reference", "reference.png" },
    };

    [Theory]
    [MemberData(nameof(TenantPages))]
    public async Task Tenant_page_is_accessible_and_fits_desktop_and_phone(string path, string heading, string? screenshot)
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        await browser.GotoAsync(path);

        await browser.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1, Exact = true }).WaitForAsync();
        await CheckAsync(browser, screenshot);
    }

    [Fact]
    public async Task Operator_tenant_pages_are_accessible_and_fit_desktop_and_phone()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.OperatorKey);

        await browser.GotoAsync("/tenants");
        await Assertions.Expect(browser.Page.GetByTestId("tenant-table")).ToContainTextAsync(platform.Endpoints.DevTenantId);
        await CheckAsync(browser, "tenants.png");

        await browser.GotoAsync($"/tenants/{platform.Endpoints.DevTenantId}");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Limits and budget" })).ToBeVisibleAsync();
        await CheckAsync(browser, "tenant.png");
    }

    [Fact]
    public async Task The_reference_page_shows_the_realtime_extensions_and_the_Gateway_operations()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/reference");

        var protocol = browser.Page.GetByTestId("protocol-reference");
        foreach (var extension in new[] { "session.resumed", "session.draining", "\"resume\"", "routing" })
            await Assertions.Expect(protocol).ToContainTextAsync(extension);
        await Assertions.Expect(browser.Page.Locator("table", new() { HasText = "/v1/keys" }).First).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.GetByTestId("scalar-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/docs$"));
        browser.AssertNoConsoleErrors();
    }

    private static async Task CheckAsync(ConsoleBrowser browser, string? screenshot)
    {
        await PageChecks.AssertAccessibleAsync(browser.Page);
        await PageChecks.AssertNoHorizontalOverflowAsync(browser.Page);
        if (screenshot is not null) await browser.ScreenshotAsync(screenshot);
        browser.AssertNoConsoleErrors();
    }
}
