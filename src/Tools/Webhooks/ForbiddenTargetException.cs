namespace VoicePlatform.Tools.Webhooks;

/// <summary>The webhook target is refused by the SSRF policy (<see cref="WebhookTargetPolicy"/>).</summary>
public sealed class ForbiddenTargetException(string message) : Exception(message);
