namespace VoicePlatform.Tools.Registry;

/// <summary>What execution needs to know about a registered tool, including the secret it signs requests with.</summary>
public sealed record WebhookTool(
    string Name,
    string ParametersJson,
    Uri WebhookUrl,
    TimeSpan Timeout,
    bool SafeToRetry,
    bool Loggable,
    string SigningSecret);
