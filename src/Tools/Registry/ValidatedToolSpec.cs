namespace VoicePlatform.Tools.Registry;

/// <summary>A tool definition that passed <see cref="ToolSpecValidator"/>, with defaults applied.</summary>
public sealed record ValidatedToolSpec(
    string Name,
    string Description,
    string ParametersJson,
    string WebhookUrl,
    int TimeoutMs,
    bool SafeToRetry,
    bool Loggable);
