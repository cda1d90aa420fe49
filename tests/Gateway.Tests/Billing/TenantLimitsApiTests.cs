using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.Billing;

/// <summary><c>GET /v1/limits</c> and <c>PUT /v1/billing/budget</c>: the tenant's caps, live sessions and budget, with the real Billing service.</summary>
[Collection(BillingApiCollection.Name)]
public class TenantLimitsApiTests(BillingApiTestContext context)
{
    [Fact]
    public async Task A_new_tenant_sees_no_caps_of_its_own_no_live_sessions_and_no_budget()
    {
        var (_, tenant) = await context.NewTenantAsync();
        var limits = await LimitsWithBudgetAsync(tenant);

        Assert.Equal(JsonValueKind.Null, limits.GetProperty("max_concurrent_sessions").ValueKind);
        Assert.Equal(JsonValueKind.Null, limits.GetProperty("max_session_starts_per_minute").ValueKind);
        Assert.Equal(0, limits.GetProperty("live_sessions").GetInt64());
        var budget = limits.GetProperty("budget");
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("monthly_budget_usd").ValueKind);
        Assert.False(budget.GetProperty("reached").GetBoolean());
    }

    [Fact]
    public async Task The_tenant_sets_and_clears_its_budget_and_sees_the_operators_caps()
    {
        var (tenantId, tenant) = await context.NewTenantAsync();
        await AccountOpenedAsync(tenant);

        using var set = await tenant.PutAsJsonAsync("/v1/billing/budget", new { monthly_budget_usd = "25.50", mode = "soft" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var afterSet = (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("budget");
        Assert.Equal("25.5", afterSet.GetProperty("monthly_budget_usd").GetString()!.TrimEnd('0'));
        Assert.Equal("soft", afterSet.GetProperty("mode").GetString());

        using var admin = context.Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BillingApiTestContext.OperatorKey);
        (await admin.PutAsJsonAsync($"/v1/admin/tenants/{tenantId}/limits", new { max_concurrent_sessions = 3, max_session_starts_per_minute = 20 }))
            .EnsureSuccessStatusCode();
        var limits = await tenant.GetFromJsonAsync<JsonElement>("/v1/limits");
        Assert.Equal(3, limits.GetProperty("max_concurrent_sessions").GetInt32());
        Assert.Equal(3, limits.GetProperty("effective_max_concurrent_sessions").GetInt32());
        Assert.Equal(20, limits.GetProperty("max_session_starts_per_minute").GetInt32());
        Assert.Equal("soft", limits.GetProperty("budget").GetProperty("mode").GetString());

        using var cleared = await tenant.PutAsJsonAsync("/v1/billing/budget", new { monthly_budget_usd = (string?)null });
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null,
            (await cleared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("budget").GetProperty("monthly_budget_usd").ValueKind);
    }

    [Theory]
    [InlineData("{\"monthly_budget_usd\":\"-1\"}", "monthly_budget_usd")]
    [InlineData("{\"monthly_budget_usd\":\"ten\"}", "monthly_budget_usd")]
    [InlineData("{\"monthly_budget_usd\":\"10\",\"mode\":\"maybe\"}", "mode")]
    public async Task Invalid_budgets_are_400_naming_the_field(string body, string param)
    {
        var (_, tenant) = await context.NewTenantAsync();
        await AccountOpenedAsync(tenant);
        using var response = await tenant.PutAsync("/v1/billing/budget", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_tenant_cannot_raise_its_own_caps_through_the_budget_endpoint()
    {
        var (_, tenant) = await context.NewTenantAsync();
        await AccountOpenedAsync(tenant);
        using var response = await tenant.PutAsJsonAsync("/v1/billing/budget", new { monthly_budget_usd = "5", max_concurrent_sessions = 1000 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("max_concurrent_sessions").ValueKind);
    }

    /// <summary>
    /// Waits until Billing has opened the tenant's account (from the TenantCreated event): until then setting a budget
    /// answers 409 billing_account_not_ready, as documented. Clearing the budget is what a new account has anyway.
    /// </summary>
    private static async Task AccountOpenedAsync(HttpClient tenant)
    {
        var status = await Poll.UntilAsync(async () =>
            {
                using var response = await tenant.PutAsJsonAsync("/v1/billing/budget", new { monthly_budget_usd = (string?)null });
                if (response.StatusCode == HttpStatusCode.Conflict)
                    Assert.Equal("billing_account_not_ready", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
                return response.StatusCode;
            },
            s => s != HttpStatusCode.Conflict, TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>The limits once Billing knows the tenant (its account is opened from the TenantCreated event).</summary>
    private static async Task<JsonElement> LimitsWithBudgetAsync(HttpClient tenant)
    {
        var limits = await Poll.UntilAsync(() => tenant.GetFromJsonAsync<JsonElement>("/v1/limits"),
            l => l.GetProperty("budget").ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20));
        Assert.Equal(JsonValueKind.Object, limits.GetProperty("budget").ValueKind);
        return limits;
    }
}
