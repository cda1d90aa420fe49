using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using static VoicePlatform.Gateway.Tests.SessionLimits.SessionLimitsTestContext;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>Concurrency and start-rate limits, per tenant and per key, enforced across Gateway instances through Redis.</summary>
public class SessionAdmissionTests(SessionLimitsTestContext context) : IClassFixture<SessionLimitsTestContext>
{
    [Fact]
    public async Task Concurrent_sessions_are_refused_exactly_at_the_tenant_limit_across_gateways()
    {
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 2 });

        var first = await OpenSessionAsync(context.First, apiKey);
        var second = await OpenSessionAsync(context.Second, apiKey); // the other replica sees the first slot

        foreach (var gateway in new[] { context.First, context.Second })
        {
            var refused = await AttemptAsync(gateway, apiKey);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("rate_limit_exceeded", refused.Code);
            Assert.Contains("2 realtime sessions at once", refused.Message);
        }

        using (var admin = context.Operator())
        {
            var limits = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenant}/limits");
            Assert.Equal(2, limits.GetProperty("live_sessions").GetInt64());
            Assert.Equal(2, limits.GetProperty("max_concurrent_sessions").GetInt32());
        }

        // Ending a session frees its slot at once (no lease wait).
        await CloseAsync(first);
        var third = await OpenSessionWhenAdmittedAsync(context.Second, apiKey, TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(context.First, apiKey)).Status);
        await CloseAsync(second);
        await CloseAsync(third);
    }

    [Fact]
    public async Task A_key_cap_below_the_tenant_limit_refuses_that_key_only()
    {
        var tenant = await context.NewTenantAsync();
        var (cappedKeyId, capped) = await context.NewKeyAsync(tenant);
        var (_, other) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 5 });
        await context.SetLimitsAsync($"/v1/admin/keys/{cappedKeyId}/limits", new { max_concurrent_sessions = 1 });

        var held = await OpenSessionAsync(context.First, capped);
        var refused = await AttemptAsync(context.Second, capped);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("rate_limit_exceeded", refused.Code);
        Assert.Contains("this API key may run 1", refused.Message);

        var otherSession = await OpenSessionAsync(context.Second, other); // the tenant still has room
        await CloseAsync(held);
        await CloseAsync(otherSession);
    }

    [Fact]
    public async Task Session_starts_are_refused_exactly_at_the_per_minute_limit_with_retry_after()
    {
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_session_starts_per_minute = 3 });

        for (var i = 0; i < 3; i++)
        {
            var session = await OpenSessionAsync(i % 2 == 0 ? context.First : context.Second, apiKey);
            await CloseAsync(session); // a start counts even after the session ended
        }

        var refused = await AttemptAsync(context.First, apiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("rate_limit_exceeded", refused.Code);
        Assert.Contains("3 realtime sessions per minute", refused.Message);
        Assert.NotNull(refused.RetryAfter);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // A refused attempt is not a start: raising the limit by one admits exactly one more.
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_session_starts_per_minute = 4 });
        var fourth = await OpenSessionAsync(context.Second, apiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(context.First, apiKey)).Status);
        await CloseAsync(fourth);
    }

    [Fact]
    public async Task A_killed_gateways_slots_are_reclaimed_after_their_lease()
    {
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 1 });

        await using var doomed = await context.StartAnotherAsync();
        var orphan = await OpenSessionAsync(doomed, apiKey);
        // Held well past one lease: the live Gateway renews it.
        await Task.Delay(SlotLease * 2);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(context.First, apiKey)).Status);

        await doomed.KillAsync(); // SIGKILL: nothing released
        var killedAt = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(context.First, apiKey)).Status);

        var reclaimed = await OpenSessionWhenAdmittedAsync(context.First, apiKey, SlotLease + TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - killedAt < SlotLease + TimeSpan.FromSeconds(5));
        await CloseAsync(reclaimed);
        orphan.Dispose();
    }

    [Fact]
    public async Task Limits_are_validated_and_unknown_tenants_and_keys_are_404()
    {
        using var admin = context.Operator();
        var tenant = await context.NewTenantAsync();
        using (var negative = await admin.PutAsJsonAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = -1 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
            Assert.Contains("max_concurrent_sessions", await negative.Content.ReadAsStringAsync());
        }
        using (var mode = await admin.PutAsJsonAsync($"/v1/admin/tenants/{tenant}/limits", new { budget_mode = "sometimes" }))
            Assert.Equal(HttpStatusCode.BadRequest, mode.StatusCode);
        using (var unknown = await admin.PutAsJsonAsync($"/v1/admin/tenants/{Guid.NewGuid()}/limits", new { max_concurrent_sessions = 1 }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var unknownKey = await admin.PutAsJsonAsync("/v1/admin/keys/vpk_unknown/limits", new { max_concurrent_sessions = 1 }))
            Assert.Equal(HttpStatusCode.NotFound, unknownKey.StatusCode);
        var (keyId, _) = await context.NewKeyAsync(tenant);
        using (var keyBudget = await admin.PutAsJsonAsync($"/v1/admin/keys/{keyId}/limits", new { monthly_budget_usd = "5" }))
            Assert.Equal(HttpStatusCode.BadRequest, keyBudget.StatusCode);

        // Replace semantics: what is not given is no limit.
        await context.SetLimitsAsync($"/v1/admin/keys/{keyId}/limits", new { max_concurrent_sessions = 2, max_session_starts_per_minute = 10 });
        await context.SetLimitsAsync($"/v1/admin/keys/{keyId}/limits", new { max_session_starts_per_minute = 7 });
        var key = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/keys/{keyId}/limits");
        Assert.Equal(JsonValueKind.Null, key.GetProperty("max_concurrent_sessions").ValueKind);
        Assert.Equal(7, key.GetProperty("max_session_starts_per_minute").GetInt32());

        using var anonymous = new HttpClient { BaseAddress = new Uri(context.First.Url) };
        using var unauthorised = await anonymous.GetAsync($"/v1/admin/tenants/{tenant}/limits");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
    }

    [Fact]
    public async Task A_limit_of_zero_refuses_every_session()
    {
        var tenant = await context.NewTenantAsync();
        var (_, apiKey) = await context.NewKeyAsync(tenant);
        await context.SetLimitsAsync($"/v1/admin/tenants/{tenant}/limits", new { max_concurrent_sessions = 0 });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await AttemptAsync(context.First, apiKey)).Status);
    }

    private static async Task<ClientWebSocket> OpenSessionWhenAdmittedAsync(GatewayProcess gateway, string apiKey, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await OpenSessionAsync(gateway, apiKey);
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
