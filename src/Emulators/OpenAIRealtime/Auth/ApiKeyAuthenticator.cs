using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;

namespace VoicePlatform.Emulators.OpenAIRealtime.Auth;

/// <summary>Outcome of checking a request's credential.</summary>
internal sealed record AuthResult(RealtimeError? Error, ClientSecret? Secret)
{
    public bool Ok => Error is null;
}

/// <summary>
/// Checks <c>Authorization: Bearer</c> or the browser subprotocol <c>openai-insecure-api-key.&lt;key&gt;</c>
/// against <c>OpenAIEmulator:ApiKeys</c> (empty = any non-empty key) and minted ek_ secrets. The Azure variant also
/// takes Azure's <c>api-key</c> header; a minted secret only opens sessions of the variant that minted it.
/// </summary>
internal sealed class ApiKeyAuthenticator(IOptionsMonitor<OpenAIEmulatorOptions> options, ClientSecretStore secrets)
{
    private const string SubprotocolPrefix = "openai-insecure-api-key.";

    public AuthResult Authenticate(HttpContext context, bool allowEphemeral, ProviderVariant variant = ProviderVariant.OpenAI)
    {
        var key = ReadKey(context);
        if (string.IsNullOrEmpty(key) && variant == ProviderVariant.Azure)
        {
            key = context.Request.Headers["api-key"].ToString().Trim();
        }
        if (string.IsNullOrEmpty(key))
        {
            return new AuthResult(HttpErrors.MissingKey(), null);
        }
        if (key.StartsWith("ek_", StringComparison.Ordinal))
        {
            var secret = allowEphemeral ? secrets.FindValid(key) : null;
            if (secret is not null && secret.Variant != variant)
            {
                secret = null;
            }
            return secret is null ? new AuthResult(HttpErrors.InvalidKey(key), null) : new AuthResult(null, secret);
        }
        var accepted = options.CurrentValue.ApiKeys;
        return accepted.Count == 0 || accepted.Contains(key, StringComparer.Ordinal)
            ? new AuthResult(null, null)
            : new AuthResult(HttpErrors.InvalidKey(key), null);
    }

    private static string? ReadKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            if (protocol.StartsWith(SubprotocolPrefix, StringComparison.Ordinal))
            {
                return protocol[SubprotocolPrefix.Length..];
            }
        }
        return null;
    }
}
