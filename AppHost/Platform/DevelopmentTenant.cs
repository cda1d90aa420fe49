using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.AppHost.Platform;

/// <summary>
/// The development tenant and its API key, created through the Gateway's operator API on first run and kept in
/// <c>dev-tenant.json</c>, so later runs print the same key (re-created only if the database was reset).
/// </summary>
public sealed class DevelopmentTenant(string stateDirectory, string gatewayUrl, string operatorKey)
{
    public const int DevelopmentConcurrentSessions = 10_000;

    private string FilePath => Path.Combine(stateDirectory, "dev-tenant.json");

    public async Task<(string TenantId, string ApiKey)> EnsureAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(gatewayUrl), Timeout = TimeSpan.FromSeconds(15) };
        if (File.Exists(FilePath))
        {
            var saved = JsonNode.Parse(await File.ReadAllTextAsync(FilePath, cancellationToken))!;
            var (tenantId, apiKey) = ((string)saved["tenantId"]!, (string)saved["apiKey"]!);
            using var check = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            check.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            using var response = await http.SendAsync(check, cancellationToken);
            if (response.IsSuccessStatusCode) return (tenantId, apiKey);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        using var created = await http.PostAsJsonAsync("/v1/admin/tenants", new { name = "Development" }, cancellationToken);
        created.EnsureSuccessStatusCode();
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = tenant.GetProperty("id").GetString()!;
        using var issued = await http.PostAsJsonAsync($"/v1/admin/tenants/{id}/keys", new { name = "development" }, cancellationToken);
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
        // Above the Gateway's default cap of concurrent sessions: the relay benchmark opens up to 1,000 with this tenant.
        using var limits = await http.PutAsJsonAsync($"/v1/admin/tenants/{id}/limits", new { max_concurrent_sessions = DevelopmentConcurrentSessions }, cancellationToken);
        limits.EnsureSuccessStatusCode();
        await File.WriteAllTextAsync(FilePath, JsonSerializer.Serialize(new { tenantId = id, apiKey = key }), cancellationToken);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (id, key);
    }
}
