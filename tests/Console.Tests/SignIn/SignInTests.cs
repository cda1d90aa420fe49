using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;

namespace VoicePlatform.Console.Tests.SignIn;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsolePlatform platform)
{
    [Fact]
    public async Task Signing_in_with_a_tenant_key_opens_the_overview()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);

        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        var cookies = await browser.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "vp_console");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.DoesNotContain(platform.Endpoints.DevApiKey, string.Join(";", cookies.Select(c => c.Value)));
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_key_the_gateway_refuses_does_not_sign_in()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.GotoAsync("/login");

        await browser.Page.GetByLabel("API key").FillAsync("vp_not-a-real-key");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("did not accept");
        await browser.GotoAsync("/sessions");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(browser.Page.GetByText("You are signed out.")).ToBeVisibleAsync();
        await browser.GotoAsync("/");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Contains("/login", browser.Page.Url);
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_one_time_link_signs_in_once()
    {
        await using (var first = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console))
        {
            await first.Page.GotoAsync(platform.Endpoints.ConsoleSignIn);
            await Assertions.Expect(first.Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
            first.AssertNoConsoleErrors();
        }

        await using var second = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await second.Page.GotoAsync(platform.Endpoints.ConsoleSignIn);
        await Assertions.Expect(second.Page.GetByText("That sign-in link was already used")).ToBeVisibleAsync();
        await second.GotoAsync("/");
        await Assertions.Expect(second.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}
