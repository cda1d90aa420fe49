namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>The limits that apply to a session started with one API key: its tenant's, and the key's own (lower) caps.</summary>
public sealed record KeySessionLimits(SessionLimits Tenant, SessionLimits Key);
