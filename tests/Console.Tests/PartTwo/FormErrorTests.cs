using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;

namespace VoicePlatform.Console.Tests.PartTwo;

/// <summary>A value the Gateway refuses comes back beside its field, in the Gateway's words, and the input is marked invalid.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FormErrorTests(ConsolePlatform platform)
{
    [Fact]
    public async Task A_budget_that_is_not_an_amount_is_refused_beside_the_field()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/usage");

        var amount = browser.Page.GetByLabel("Budget (USD per month; empty for none)");
        await amount.FillAsync("lots");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save budget" }).ClickAsync();

        await Assertions.Expect(browser.Page.GetByTestId("field-error")).ToBeVisibleAsync();
        await Assertions.Expect(amount).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(amount).ToHaveValueAsync("lots");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_retention_out_of_range_is_refused_beside_the_field_and_a_valid_one_is_kept()
    {
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/settings");

        var days = browser.Page.GetByLabel("Keep sessions, transcripts and recordings for (days)");
        await days.EvaluateAsync("e => { e.removeAttribute('min'); e.removeAttribute('max'); }");
        await days.FillAsync("0");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("field-error")).ToBeVisibleAsync();
        await Assertions.Expect(days).ToHaveAttributeAsync("aria-invalid", "true");

        await days.FillAsync("45");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("saved")).ToContainTextAsync("45 days");
        await browser.GotoAsync("/settings");
        await Assertions.Expect(days).ToHaveValueAsync("45");
        browser.AssertNoConsoleErrors();
    }
}
