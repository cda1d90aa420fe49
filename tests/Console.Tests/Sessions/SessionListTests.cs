using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;

namespace VoicePlatform.Console.Tests.Sessions;

[Collection(ConsoleCollection.Name)]
public sealed class SessionListTests(ConsolePlatform platform)
{
    [Fact]
    public async Task Filters_narrow_the_list_to_matching_sessions()
    {
        var sessionId = await platform.DevSessionAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/sessions");
        var filters = browser.Page.GetByRole(AriaRole.Form, new() { Name = "Filter sessions" });

        await filters.GetByLabel("Model").FillAsync("gemini-3.1-flash-live");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("model=gemini-3.1-flash-live"));
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = sessionId })).ToHaveCountAsync(0);

        await filters.GetByLabel("Model").FillAsync("gpt-realtime-2");
        await filters.GetByLabel("End reason").FillAsync("client_closed");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = sessionId })).ToBeVisibleAsync();
        browser.AssertNoConsoleErrors();
    }
}
