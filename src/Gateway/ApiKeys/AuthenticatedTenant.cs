namespace VoicePlatform.Gateway.ApiKeys;

/// <summary>Who is calling: the tenant and the key it used.</summary>
public sealed record AuthenticatedTenant(Guid TenantId, string KeyId);
