namespace VoicePlatform.Tools.Webhooks;

/// <summary>One signed POST of <paramref name="Body"/> to a tool's webhook on behalf of <paramref name="TenantId"/> (whose circuit it counts against).</summary>
public sealed record WebhookCall(Guid TenantId, Uri Url, string SigningSecret, string CallId, byte[] Body, TimeSpan Timeout, bool SafeToRetry);
