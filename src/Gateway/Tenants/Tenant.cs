namespace VoicePlatform.Gateway.Tenants;

public sealed record Tenant(Guid Id, string Name, DateTimeOffset CreatedAt);
