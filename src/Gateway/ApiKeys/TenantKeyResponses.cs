using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>One of the tenant's API keys as <c>GET /v1/keys</c> lists it: never the secret.</summary>
public sealed record TenantKeyResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt)
{
    public static TenantKeyResponse From(ApiKeyRecord key) => new(key.Id, key.TenantId, key.Name, key.CreatedAt, key.RevokedAt);
}

public sealed record TenantKeyListResponse([property: JsonPropertyName("data")] IReadOnlyList<TenantKeyResponse> Data);

/// <summary>A newly issued key: the only response that ever carries the secret (<c>key</c>).</summary>
public sealed record IssuedKeyResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("key")] string Key);

public sealed record IssueTenantKeyRequest([property: JsonPropertyName("name")] string? Name);
