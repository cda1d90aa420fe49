using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VoicePlatform.Gateway.Tests.ApiKeys;

public class TenantKeyTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task A_valid_key_lists_models_in_openai_shape()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        var models = await tenant.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal("list", models.GetProperty("object").GetString());
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("gpt-realtime-2", ids);
        Assert.Contains("gemini-3.1-flash-live", ids);
    }

    [Fact]
    public async Task The_browser_subprotocol_form_of_the_key_is_accepted()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var client = context.First.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("Sec-WebSocket-Protocol", $"realtime, openai-insecure-api-key.{apiKey}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-not-ours")]
    [InlineData("vpk_0123456789abcdef_wrong")]
    public async Task Missing_or_wrong_keys_get_401_with_an_openai_error_body(string? presented)
    {
        using var client = context.First.CreateClient();
        if (presented is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", presented);
        using var response = await client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_key_with_the_right_id_but_a_wrong_secret_is_rejected()
    {
        var (_, keyId, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        (await tenant.GetAsync("/v1/models")).EnsureSuccessStatusCode(); // cached now
        using var forged = GatewayTestContext.Tenant(context.First, $"vpk_{keyId}_{new string('A', 43)}");
        using var response = await forged.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_every_instance_within_seconds()
    {
        var (_, keyId, apiKey) = await context.CreateTenantWithKeyAsync();
        using var onFirst = GatewayTestContext.Tenant(context.First, apiKey);
        using var onSecond = GatewayTestContext.Tenant(context.Second, apiKey);
        // Both instances have the key cached (for 30 s in these tests).
        Assert.Equal(HttpStatusCode.OK, (await onFirst.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/v1/models")).StatusCode);

        using var admin = context.Operator(context.First);
        using var revoked = await admin.DeleteAsync($"/v1/admin/keys/{keyId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onFirst.GetAsync("/v1/models")).StatusCode);

        var stopwatch = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await onSecond.GetAsync("/v1/models")).StatusCode;
            if (status == HttpStatusCode.Unauthorized) break;
            await Task.Delay(50);
        }
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        // Listed as revoked, and revoking again is harmless.
        var keys = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{(await FindTenantOf(keyId, admin))}/keys");
        Assert.NotEqual(JsonValueKind.Null, keys.GetProperty("data")[0].GetProperty("revoked_at").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/admin/keys/{keyId}")).StatusCode);
    }

    private static async Task<string> FindTenantOf(string keyId, HttpClient admin)
    {
        var tenants = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants");
        foreach (var tenant in tenants.GetProperty("data").EnumerateArray())
        {
            var id = tenant.GetProperty("id").GetString()!;
            var keys = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{id}/keys");
            if (keys.GetProperty("data").EnumerateArray().Any(k => k.GetProperty("id").GetString() == keyId)) return id;
        }
        throw new InvalidOperationException("key not found");
    }
}
