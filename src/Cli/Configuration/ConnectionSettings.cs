namespace VoicePlatform.Cli.Configuration;

/// <summary>Where the gateway is and how to authenticate, as resolved from flags, environment and endpoints.json.</summary>
public sealed record ConnectionSettings(Uri GatewayUrl, string? ApiKey, string? OperatorKey, string? DevTenantId, string? CaCertificatePath);
