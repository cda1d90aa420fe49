using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.ApiKeys;

/// <summary><c>/v1/keys</c>: a tenant lists, issues and revokes its own keys with one of them.</summary>
public class TenantKeySelfServiceTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task A_tenant_issues_a_key_sees_its_secret_once_and_the_key_works()
    {
        var (tenantId, keyId, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);

        using var created = await tenant.PostAsJsonAsync("/v1/keys", new { name = "  ci deploys  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var issued = await created.Content.ReadFromJsonAsync<JsonElement>();
        var newId = issued.GetProperty("id").GetString()!;
        var secret = issued.GetProperty("key").GetString()!;
        Assert.Equal("ci deploys", issued.GetProperty("name").GetString());
        Assert.Equal(tenantId, issued.GetProperty("tenant_id").GetString());
        Assert.Equal($"/v1/keys/{newId}", created.Headers.Location?.OriginalString);
        Assert.StartsWith($"vpk_{newId}_", secret);

        var listText = await tenant.GetStringAsync("/v1/keys");
        Assert.DoesNotContain(secret, listText);
        var listed = JsonDocument.Parse(listText).RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([keyId, newId], listed.Select(k => k.GetProperty("id").GetString()));
        Assert.All(listed, k => Assert.False(k.TryGetProperty("key", out _)));
        Assert.All(listed, k => Assert.Equal(JsonValueKind.Null, k.GetProperty("revoked_at").ValueKind));

        using var withNewKey = GatewayTestContext.Tenant(context.Second, secret);
        Assert.Equal(HttpStatusCode.OK, (await withNewKey.GetAsync("/v1/keys")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_on_every_gateway_and_is_listed_as_revoked()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        var issued = await (await tenant.PostAsJsonAsync("/v1/keys", new { name = "short-lived" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = issued.GetProperty("id").GetString()!;
        using var onSecond = GatewayTestContext.Tenant(context.Second, issued.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/v1/models")).StatusCode); // cached for 30 s there now

        using var revoked = await tenant.DeleteAsync($"/v1/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        // The other replica learns through Redis, well before its 30 s cache would expire.
        var status = await Poll.UntilAsync(async () => (await onSecond.GetAsync("/v1/models")).StatusCode,
            s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var listed = (await tenant.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("data").EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revoked_at").ValueKind);
    }

    [Fact]
    public async Task Another_tenants_key_is_404_exactly_like_a_missing_one_and_stays_usable()
    {
        var (_, victimKeyId, victimKey) = await context.CreateTenantWithKeyAsync("Victim");
        var (_, _, attackerKey) = await context.CreateTenantWithKeyAsync("Attacker");
        using var attacker = GatewayTestContext.Tenant(context.First, attackerKey);

        using var foreign = await attacker.DeleteAsync($"/v1/keys/{victimKeyId}");
        using var missing = await attacker.DeleteAsync("/v1/keys/0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var foreignError = (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        var missingError = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(missingError.GetProperty("code").GetString(), foreignError.GetProperty("code").GetString());
        Assert.Equal("key_not_found", foreignError.GetProperty("code").GetString());

        using var victim = GatewayTestContext.Tenant(context.First, victimKey);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/v1/keys")).StatusCode);
        var attackerList = await attacker.GetStringAsync("/v1/keys");
        Assert.DoesNotContain(victimKeyId, attackerList);
    }

    [Fact]
    public async Task Active_keys_are_capped_per_tenant_and_revoking_one_makes_room()
    {
        var (_, firstKeyId, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        for (var i = 1; i < GatewayTestContext.MaxActiveKeysPerTenant; i++)
            Assert.Equal(HttpStatusCode.Created, (await tenant.PostAsJsonAsync("/v1/keys", new { name = $"k{i}" })).StatusCode);

        using var refused = await tenant.PostAsJsonAsync("/v1/keys", new { name = "one too many" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("key_limit_reached", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());

        var spare = (await tenant.GetFromJsonAsync<JsonElement>("/v1/keys")).GetProperty("data").EnumerateArray()
            .Select(k => k.GetProperty("id").GetString()!).First(id => id != firstKeyId);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.DeleteAsync($"/v1/keys/{spare}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await tenant.PostAsJsonAsync("/v1/keys", new { name = "room again" })).StatusCode);
    }

    [Theory]
    [InlineData("{\"name\":5}", "application/json", "invalid_json")]
    [InlineData("not json", "application/json", "invalid_json")]
    [InlineData("{\"name\":\"x\"}", "text/plain", "invalid_json")]
    public async Task Malformed_bodies_are_400_in_openai_shape(string body, string contentType, string code)
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        using var response = await tenant.PostAsync("/v1/keys", new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_name_over_200_characters_is_refused()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        using var response = await tenant.PostAsJsonAsync("/v1/keys", new { name = new string('n', 201) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("name", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/keys")]
    [InlineData("POST", "/v1/keys")]
    [InlineData("DELETE", "/v1/keys/0123456789abcdef")]
    public async Task Every_keys_endpoint_needs_a_tenant_key(string method, string path)
    {
        using var admin = context.Operator(context.First); // the operator key is not a tenant key
        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
