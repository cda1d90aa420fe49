using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.ClientSecrets;

/// <summary>
/// What an ephemeral key stands for, as kept in Redis: the tenant and the API key that minted it (whose limits apply),
/// the session configuration it pins, its optional caps, and when it stops admitting new connections.
/// </summary>
public sealed record ClientSecret(
    [property: JsonPropertyName("tenant_id")] Guid TenantId,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("session")] string SessionJson,
    [property: JsonPropertyName("max_session_duration_seconds")] int? MaxSessionDurationSeconds,
    [property: JsonPropertyName("max_spend_usd")] decimal? MaxSpendUsd,
    [property: JsonPropertyName("expires_at")] long ExpiresAtUnixSeconds,
    [property: JsonPropertyName("user")] string? User = null);
