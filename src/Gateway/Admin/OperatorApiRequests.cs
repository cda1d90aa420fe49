namespace VoicePlatform.Gateway.Admin;

public sealed record CreateTenantRequest(string? Name);

public sealed record IssueKeyRequest(string? Name);
