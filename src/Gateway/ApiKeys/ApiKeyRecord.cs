namespace VoicePlatform.Gateway.ApiKeys;

public sealed record ApiKeyRecord(string Id, Guid TenantId, string Name, byte[] SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;
}
