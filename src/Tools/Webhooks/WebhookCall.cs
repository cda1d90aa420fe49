namespace VoicePlatform.Tools.Webhooks;

/// <summary>One signed POST of <paramref name="Body"/> to a tool's webhook.</summary>
public sealed record WebhookCall(Uri Url, string SigningSecret, string CallId, byte[] Body, TimeSpan Timeout, bool SafeToRetry);
