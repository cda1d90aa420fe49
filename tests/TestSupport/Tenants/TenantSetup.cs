using System.Net.Http.Json;
using System.Text.Json;

namespace VoicePlatform.TestSupport.Tenants;

/// <summary>
/// A test's tenants and API keys, made through the Gateway's operator API (<c>/v1/admin/tenants</c>) as an operator
/// would: <paramref name="operatorClient"/> is an HTTP client of the Gateway that sends the operator key.
/// </summary>
public static class TenantSetup
{
    /// <summary>A new tenant's id.</summary>
    public static async Task<string> CreateTenantAsync(HttpClient operatorClient, string name)
    {
        using var created = await operatorClient.PostAsJsonAsync("/v1/admin/tenants", new { name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A new API key of the tenant: its id (as the operator API names it) and the key itself.</summary>
    public static async Task<(string KeyId, string ApiKey)> IssueKeyAsync(HttpClient operatorClient, string tenantId, string keyName = "test")
    {
        using var issued = await operatorClient.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = keyName });
        issued.EnsureSuccessStatusCode();
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    /// <summary>A new tenant with one API key.</summary>
    public static async Task<(string TenantId, string KeyId, string ApiKey)> CreateTenantWithKeyAsync(HttpClient operatorClient, string name, string keyName = "test")
    {
        var tenantId = await CreateTenantAsync(operatorClient, name);
        var (keyId, apiKey) = await IssueKeyAsync(operatorClient, tenantId, keyName);
        return (tenantId, keyId, apiKey);
    }
}
