using System.Text.RegularExpressions;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Tools.BuiltIns;
using VoicePlatform.Tools.Schemas;
using VoicePlatform.Tools.Webhooks;

namespace VoicePlatform.Tools.Registry;

/// <summary>The registry's rules for a tool definition; applies defaults. Throws <see cref="ToolValidationException"/>.</summary>
public sealed partial class ToolSpecValidator(WebhookTargetPolicy targets)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    public const int MaxDescriptionLength = 4096;
    public const int MaxUrlLength = 2048;

    /// <summary>Names the REST API uses as path segments under /v1/tools, so no tool may have them.</summary>
    private static readonly string[] ReservedNames = ["settings"];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
            throw new ToolValidationException("name", "name must be 1-64 characters of letters, digits, '_' or '-'.");
        if (BuiltInTools.IsReservedName(name) || ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new ToolValidationException("name", $"'{name}' is reserved (a built-in tool or an API path).");
    }

    public async Task<ValidatedToolSpec> ValidateAsync(ToolSpec? spec, CancellationToken cancellationToken)
    {
        if (spec is null) throw new ToolValidationException("tool", "A tool definition is required.");
        ValidateName(spec.Name);

        if (spec.Description.Length > MaxDescriptionLength)
            throw new ToolValidationException("description", $"description is longer than {MaxDescriptionLength} characters.");

        var parameters = await ToolParametersSchema.ValidateAsync(spec.ParametersJson, cancellationToken);

        if (string.IsNullOrWhiteSpace(spec.WebhookUrl))
            throw new ToolValidationException("webhook_url", "webhook_url is required.");
        if (spec.WebhookUrl.Length > MaxUrlLength)
            throw new ToolValidationException("webhook_url", $"webhook_url is longer than {MaxUrlLength} characters.");
        if (!Uri.TryCreate(spec.WebhookUrl.Trim(), UriKind.Absolute, out var url))
            throw new ToolValidationException("webhook_url", "webhook_url must be an absolute https:// URL.");
        if (targets.FindProblem(url) is { } problem)
            throw new ToolValidationException("webhook_url", $"webhook_url {problem}.");

        var timeout = spec.TimeoutMs == 0 ? DefaultTimeout : TimeSpan.FromMilliseconds(spec.TimeoutMs);
        if (timeout < MinTimeout || timeout > MaxTimeout)
            throw new ToolValidationException("timeout_ms", $"timeout_ms must be between {MinTimeout.TotalMilliseconds} and {MaxTimeout.TotalMilliseconds} (0 for the default {DefaultTimeout.TotalMilliseconds}).");

        return new ValidatedToolSpec(spec.Name, spec.Description.Trim(), parameters, url.AbsoluteUri, (int)timeout.TotalMilliseconds, spec.SafeToRetry, spec.Loggable);
    }
}
