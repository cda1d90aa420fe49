namespace VoicePlatform.Contracts.Events;

/// <summary>Published by the Gateway when an operator creates a tenant. <paramref name="EventId"/> makes consumers idempotent.</summary>
public sealed record TenantCreated(Guid EventId, Guid TenantId, string Name, DateTimeOffset CreatedAt);
