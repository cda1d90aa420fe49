using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Console.Tests.PartTwo;

[Collection(ConsoleCollection.Name)]
public sealed class ApiKeyPageTests(ConsolePlatform platform)
{
    [Fact]
    public async Task A_created_key_is_shown_once_works_and_stops_working_once_revoked()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        var name = $"browser-{Guid.NewGuid():N}"[..20];

        await browser.GotoAsync("/keys");
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = await browser.Page.GetByTestId("new-key-secret").InputValueAsync();
        Assert.StartsWith("vpk_", secret);
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        await PageChecks.CheckAndCaptureAsync(browser, "keys.png");

        using var gateway = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(gateway, secret));

        // Shown once: not after a reload, not in the list, nowhere in the page.
        await browser.GotoAsync("/keys");
        var row = browser.Page.Locator("tr", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("active");
        Assert.DoesNotContain(secret, await browser.Page.ContentAsync());
        await Assertions.Expect(browser.Page.GetByTestId("new-key")).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new("^Revoke") }).ClickAsync();
        await Assertions.Expect(browser.Page.Locator("tr", new() { HasText = name })).ToContainTextAsync("revoked");
        // Revocation reaches every Gateway within seconds (a key cache may answer until then).
        Assert.Equal(HttpStatusCode.Unauthorized, await Poll.UntilAsync(() => StatusWithAsync(gateway, secret), s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15)));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_name_the_Gateway_refuses_is_reported_beside_the_field()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/keys");
        // The input's maxlength stops a person; a scripted form can still send it, and the Gateway's answer is shown.
        await browser.Page.GetByLabel("Name", new() { Exact = true }).EvaluateAsync("e => e.removeAttribute('maxlength')");
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(new string('k', 201));
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Assertions.Expect(browser.Page.GetByTestId("field-error")).ToContainTextAsync("at most");
        await Assertions.Expect(browser.Page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(browser.Page.GetByTestId("new-key")).ToHaveCountAsync(0);
        browser.AssertNoConsoleErrors();
    }

    private static async Task<HttpStatusCode> StatusWithAsync(HttpClient gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await gateway.SendAsync(request);
        return response.StatusCode;
    }
}
