using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>
/// The Azure variant's Microsoft Entra ID mode (<c>Azure:Entra:Enabled</c>): the client-credentials token endpoint with
/// Entra's refusals, and the Azure path taking a Bearer only if it is an issued, unexpired token.
/// </summary>
public sealed class AzureEntraTests
{
    private const string Scope = "https://cognitiveservices.azure.com/.default";

    private static Task<EmulatorHost> StartAsync(TimeProvider? time = null, params (string Key, string Value)[] more) =>
        EmulatorHost.StartAsync(time, [
            ("OpenAIEmulator:ApiKeys:0", "azure-key"),
            ("OpenAIEmulator:Azure:Entra:Enabled", "true"),
            ("OpenAIEmulator:Azure:Entra:TenantId", "contoso"),
            ("OpenAIEmulator:Azure:Entra:ClientId", "app-1"),
            ("OpenAIEmulator:Azure:Entra:ClientSecret", "s3cret"),
            ("OpenAIEmulator:Azure:Entra:TokenLifetime", "00:10:00"),
            .. more]);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RequestTokenAsync(EmulatorHost host, string tenant = "contoso",
        string clientId = "app-1", string secret = "s3cret", string scope = Scope, string grant = "client_credentials")
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(host.BaseAddress, $"/{tenant}/oauth2/v2.0/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant, ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope,
        }));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static Action<System.Net.WebSockets.ClientWebSocketOptions> Bearer(string token) =>
        o => o.SetRequestHeader("Authorization", "Bearer " + token);

    private static void AssertAzureRefusal(UpgradeRequest refused)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        var error = refused.Body.GetProperty("error");
        Assert.Equal(["code", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("401", error.Str("code"));
        Assert.StartsWith("Unauthorized. Access token is missing, invalid, audience is incorrect", error.Str("message"));
    }

    [Fact]
    public async Task An_issued_token_opens_an_Azure_session_as_a_bearer()
    {
        await using var host = await StartAsync();
        var (status, body) = await RequestTokenAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.Str("token_type"));
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        var token = body.Str("access_token");
        // Entra's shape: a JWT whose audience is the resource of the scope.
        var claims = token.Split('.');
        Assert.Equal(3, claims.Length);
        var payload = JsonDocument.Parse(Convert.FromBase64String(claims[1].Replace('-', '+').Replace('_', '/').PadRight((claims[1].Length + 3) / 4 * 4, '='))).RootElement;
        Assert.Equal("https://cognitiveservices.azure.com", payload.Str("aud"));
        Assert.Equal("app-1", payload.Str("appid"));

        await using var client = await RealtimeTestClient.ConnectAsync(host.AzureUri("voice"), "", Bearer(token));
        Assert.Equal("voice", (await client.ExpectAsync("session.created")).GetProperty("session").Str("model"));
        // The api-key header still works alongside.
        await using var keyed = await RealtimeTestClient.ConnectAsync(host.AzureUri("voice"), "", o => o.SetRequestHeader("api-key", "azure-key"));
        await keyed.ExpectAsync("session.created");
    }

    [Fact]
    public async Task Expired_or_unknown_bearers_and_api_keys_as_bearers_are_refused_with_Azure_s_401()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time);
        var token = (await RequestTokenAsync(host)).Body.Str("access_token");

        AssertAzureRefusal(await UpgradeRequest.SendAsync(host.AzureUri("voice"), ("Authorization", "Bearer azure-key")));
        AssertAzureRefusal(await UpgradeRequest.SendAsync(host.AzureUri("voice"), ("Authorization", "Bearer " + token + "x")));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await UpgradeRequest.SendAsync(host.AzureUri("voice"), ("Authorization", "Bearer " + token))).Status);
        time.Advance(TimeSpan.FromMinutes(1));
        AssertAzureRefusal(await UpgradeRequest.SendAsync(host.AzureUri("voice"), ("Authorization", "Bearer " + token)));

        // Entra tokens are Azure's: the OpenAI path checks the bearer against ApiKeys as before.
        Assert.Equal(HttpStatusCode.Unauthorized, (await UpgradeRequest.SendAsync(host.RealtimeUri(), ("Authorization", "Bearer " + token))).Status);
    }

    [Theory]
    [InlineData("other-tenant", "app-1", "s3cret", Scope, "client_credentials", 400, "invalid_request", 90002)]
    [InlineData("contoso", "app-2", "s3cret", Scope, "client_credentials", 400, "unauthorized_client", 700016)]
    [InlineData("contoso", "app-1", "wrong", Scope, "client_credentials", 401, "invalid_client", 7000215)]
    [InlineData("contoso", "app-1", "s3cret", "https://graph.microsoft.com/.default", "client_credentials", 400, "invalid_resource", 500011)]
    [InlineData("contoso", "app-1", "s3cret", Scope, "password", 400, "unsupported_grant_type", 70003)]
    public async Task Token_requests_Entra_would_refuse_get_its_error_body(string tenant, string clientId, string secret, string scope, string grant,
        int status, string error, int code)
    {
        await using var host = await StartAsync();
        var (actual, body) = await RequestTokenAsync(host, tenant, clientId, secret, scope, grant);

        Assert.Equal((HttpStatusCode)status, actual);
        Assert.Equal(error, body.Str("error"));
        Assert.StartsWith($"AADSTS{code}:", body.Str("error_description"));
        Assert.Equal([code], body.GetProperty("error_codes").EnumerateArray().Select(c => c.GetInt32()));
    }

    [Fact]
    public async Task The_newer_ai_azure_com_scope_is_served_too_and_requests_are_counted()
    {
        await using var host = await StartAsync(null, ("OpenAIEmulator:Azure:Entra:TokenFormat", "opaque"));
        var (status, body) = await RequestTokenAsync(host, scope: "https://ai.azure.com/.default");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain('.', body.Str("access_token"));
        await RequestTokenAsync(host, secret: "wrong");

        using var http = new HttpClient();
        var counters = await http.GetFromJsonAsync<JsonElement>(new Uri(host.BaseAddress, "/emulator/entra"));
        Assert.Equal(2, counters.GetProperty("token_requests").GetInt32());
        Assert.Equal(1, counters.GetProperty("tokens_issued").GetInt32());
        var metadata = await http.GetFromJsonAsync<JsonElement>(new Uri(host.BaseAddress, "/contoso/v2.0/.well-known/openid-configuration"));
        Assert.Equal(new Uri(host.BaseAddress, "/contoso/oauth2/v2.0/token").ToString(), metadata.Str("token_endpoint"));
    }

    [Fact]
    public async Task With_Entra_off_there_is_no_token_endpoint_and_bearers_are_api_keys()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:ApiKeys:0", "azure-key"));
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(host.BaseAddress, "/contoso/oauth2/v2.0/token"),
            new StringContent("grant_type=client_credentials", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await UpgradeRequest.SendAsync(host.AzureUri("voice"), ("Authorization", "Bearer azure-key"))).Status);
    }
}
