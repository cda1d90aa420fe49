using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Keys;

public sealed record ApiKeyInfo(string Id, Guid TenantId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record IssuedKey(string Id, Guid TenantId, string Name, DateTimeOffset CreatedAt, string Key);

public sealed record KeyList(IReadOnlyList<ApiKeyInfo> Data);

/// <summary>The tenant's own keys: <c>GET/POST /v1/keys</c>, <c>DELETE /v1/keys/{id}</c>.</summary>
public static class KeysApi
{
    public static Task<KeyList?> ListKeysAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<KeyList>("/v1/keys", ct);

    public static Task<IssuedKey?> CreateKeyAsync(this GatewayApi api, string? name, CancellationToken ct = default) =>
        api.SendAsync<IssuedKey>(HttpMethod.Post, "/v1/keys", new { name }, ct);

    public static Task RevokeKeyAsync(this GatewayApi api, string id, CancellationToken ct = default) =>
        api.SendAsync<object>(HttpMethod.Delete, $"/v1/keys/{GatewayApi.Escape(id)}", null, ct);
}
