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
        browser.AssertNoConsoleErrors();
    }
}
