using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static VoicePlatform.Gateway.Tests.SessionLimits.SessionLimitsTestContext;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary><c>GET /v1/limits</c>: the tenant sees its live sessions across Gateways, and the rest of the view survives Billing being down.</summary>
public class TenantLimitsViewTests(SessionLimitsTestContext context) : IClassFixture<SessionLimitsTestContext>
{
    [Fact]
    public async Task The_tenant_sees_its_live_sessions_on_every_gateway_and_an_unknown_budget_while_billing_is_down()
    {
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 4 });
        using var client = new HttpClient { BaseAddress = new Uri(context.Second.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var first = await OpenSessionAsync(context.First, apiKey);
        var second = await OpenSessionAsync(context.Second, apiKey);
        var limits = await client.GetFromJsonAsync<JsonElement>("/v1/limits");
        Assert.Equal(2, limits.GetProperty("live_sessions").GetInt64());
        Assert.Equal(4, limits.GetProperty("max_concurrent_sessions").GetInt32());
        // This context runs no Billing: the budget is unknown (null), and the view still answers.
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("budget").ValueKind);

        await CloseAsync(first);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/v1/limits")).GetProperty("live_sessions").GetInt64());
        await CloseAsync(second);
    }
}
