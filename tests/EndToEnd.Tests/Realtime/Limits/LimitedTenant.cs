using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Limits;

/// <summary>A fresh tenant with its own API key, so a test can set limits and budgets without touching the shared dev tenant.</summary>
public sealed class LimitedTenant(EndToEndPlatform platform, string tenantId, string apiKey)
{
    public string TenantId => tenantId;
    public string ApiKey => apiKey;

    public static async Task<LimitedTenant> CreateAsync(EndToEndPlatform platform, string name)
    {
        using var admin = Operator(platform);
        var (tenantId, _, key) = await TenantSetup.CreateTenantWithKeyAsync(admin, name, "limits");
        return new LimitedTenant(platform, tenantId, key);
    }

    /// <summary>PUT the tenant's limits; waits for Billing to have opened the account (TenantCreated travels on the bus).</summary>
    public async Task<JsonElement> SetLimitsAsync(object limits)
    {
        using var admin = Operator(platform);
        var response = await Poll.UntilAsync(() => admin.PutAsJsonAsync($"/v1/admin/tenants/{tenantId}/limits", limits),
            r => r.StatusCode != HttpStatusCode.Conflict, TimeSpan.FromSeconds(30));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The id of this tenant's key (keys read <c>vpk_{id}_{secret}</c>), as the operator API names it.</summary>
    public string KeyId => apiKey.Split('_')[1];

    /// <summary>The same tenant with a further API key of its own.</summary>
    public async Task<LimitedTenant> WithAnotherKeyAsync()
    {
        using var admin = Operator(platform);
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "another" });
        issued.EnsureSuccessStatusCode();
        return new LimitedTenant(platform, tenantId, (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }

    /// <summary>Revokes this tenant's key through the operator API.</summary>
    public async Task RevokeKeyAsync()
    {
        using var admin = Operator(platform);
        using var revoked = await admin.DeleteAsync($"/v1/admin/keys/{KeyId}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
    }

    public HttpClient Http()
    {
        var client = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>The session as the Transcripts service recorded it (once its SessionEnded arrived).</summary>
    public async Task<string?> EndReasonAsync(string sessionId)
    {
        using var http = Http();
        var reason = await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/sessions/{sessionId}");
            if (!response.IsSuccessStatusCode) return null;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.TryGetProperty("end_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }, r => !string.IsNullOrEmpty(r), TimeSpan.FromSeconds(30));
        return reason;
    }

    private static HttpClient Operator(EndToEndPlatform platform)
    {
        var client = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.OperatorKey);
        return client;
    }
}
