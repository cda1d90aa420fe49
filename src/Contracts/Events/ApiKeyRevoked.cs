namespace VoicePlatform.Contracts.Events;

/// <summary>Published by the Gateway when an API key is revoked (audit trail for other services).</summary>
public sealed record ApiKeyRevoked(Guid EventId, Guid TenantId, string KeyId, DateTimeOffset RevokedAt);
