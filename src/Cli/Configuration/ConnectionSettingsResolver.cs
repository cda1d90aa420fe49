using System.CommandLine;
using VoicePlatform.Cli.Api;

namespace VoicePlatform.Cli.Configuration;

/// <summary>Flags win over the environment, which wins over a local <c>.apphost/endpoints.json</c>.</summary>
public static class ConnectionSettingsResolver
{
    public const string UrlVariable = "VOICEPLATFORM_URL";
    public const string ApiKeyVariable = "VOICEPLATFORM_API_KEY";
    public const string OperatorKeyVariable = "VOICEPLATFORM_OPERATOR_KEY";

    public static ConnectionSettings Resolve(ParseResult parse, string? operatorKeyFlag = null)
    {
        var local = LocalEndpointsFile.Find(Directory.GetCurrentDirectory());
        var url = FirstOf(parse.GetValue(GlobalOptions.Url), Environment.GetEnvironmentVariable(UrlVariable), local?.Gateway)
            ?? throw CliException.Usage($"No gateway URL: pass --url, set {UrlVariable}, or run inside a checkout with .apphost/endpoints.json.");
        if (!Uri.TryCreate(url.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw CliException.Usage($"The gateway URL '{url}' is not an http:// or https:// URL.");
        return new ConnectionSettings(uri,
            FirstOf(parse.GetValue(GlobalOptions.ApiKey), Environment.GetEnvironmentVariable(ApiKeyVariable), local?.DevApiKey),
            FirstOf(operatorKeyFlag, Environment.GetEnvironmentVariable(OperatorKeyVariable), local?.OperatorKey),
            local?.DevTenantId,
            local?.CaCertificate is { } ca && File.Exists(ca) ? ca : null);
    }

    private static string? FirstOf(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
