using Microsoft.Playwright;
using VoicePlatform.Console.Tests.Browser;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.Console.Tests.PartTwo;

[Collection(ConsoleCollection.Name)]
public sealed class ToolPageTests(ConsolePlatform platform)
{
    [Fact]
    public async Task A_registered_webhook_tool_can_be_test_called_and_its_output_is_shown()
    {
        await using var webhooks = await LocalWebhookServer.StartAsync();
        var name = $"lookup_{Guid.NewGuid():N}"[..20];
        webhooks.RespondJson("/" + name, """{"status":"shipped","eta_days":2}""");
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);

        await browser.GotoAsync("/tools");
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await browser.Page.GetByLabel("Description (for the model)").FillAsync("Looks up an order");
        await browser.Page.GetByLabel("Webhook URL").FillAsync(webhooks.Url("/" + name));
        await browser.Page.GetByLabel("Parameters (JSON Schema of the arguments; empty for none)")
            .FillAsync("""{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Register tool" }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("tool-secret")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.GetByTestId("tool-table")).ToContainTextAsync(name);

        await browser.Page.GetByLabel("Tool", new() { Exact = true }).SelectOptionAsync(name);
        await browser.Page.GetByLabel("Arguments (JSON object)").FillAsync("""{"order_id":"A-42"}""");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Test call" }).ClickAsync();

        var result = browser.Page.GetByTestId("tool-test-result");
        await Assertions.Expect(result).ToContainTextAsync("ok");
        await Assertions.Expect(browser.Page.GetByTestId("tool-test-output")).ToContainTextAsync("shipped");
        var received = Assert.Single(webhooks.Received("/" + name));
        Assert.Contains("A-42", received.BodyText);
        await PageChecks.CheckAndCaptureAsync(browser, "tools.png");
    }

    [Fact]
    public async Task Arguments_that_are_not_JSON_are_reported_beside_the_field_and_nothing_is_called()
    {
        await using var webhooks = await LocalWebhookServer.StartAsync();
        var name = $"echo_{Guid.NewGuid():N}"[..18];
        webhooks.RespondJson("/" + name, """{"ok":true}""");
        await using var browser = await ConsoleBrowser.OpenAsync(platform.Endpoints.Console);
        await browser.SignInAsync(platform.Endpoints.DevApiKey);
        await browser.GotoAsync("/tools");
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await browser.Page.GetByLabel("Webhook URL").FillAsync(webhooks.Url("/" + name));
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Register tool" }).ClickAsync();

        await browser.Page.GetByLabel("Tool", new() { Exact = true }).SelectOptionAsync(name);
        await browser.Page.GetByLabel("Arguments (JSON object)").FillAsync("{order_id: A-42");
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Test call" }).ClickAsync();

        await Assertions.Expect(browser.Page.GetByTestId("field-error")).ToContainTextAsync("Not valid JSON");
        await Assertions.Expect(browser.Page.GetByLabel("Arguments (JSON object)")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty(webhooks.Received("/" + name));
        browser.AssertNoConsoleErrors();
    }
}
