using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Azure;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;

namespace VoicePlatform.Emulators.OpenAIRealtime.Auth;

/// <summary>Outcome of checking a request's credential. <paramref name="AzureEntra"/>: a refused Entra token (Azure's body).</summary>
internal sealed record AuthResult(RealtimeError? Error, ClientSecret? Secret, bool AzureEntra = false)
{
    /// <summary>What Azure OpenAI answers a missing, expired, foreign or wrong-audience token with.</summary>
    public const string EntraRefusedMessage =
        "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.";

    public bool Ok => Error is null;

    /// <summary>The 401 for a refused credential, in the shape of the service that refused it.</summary>
    public Task WriteRefusalAsync(HttpContext context) => AzureEntra
        ? AzureDeployments.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "401", Error!.Message)
        : HttpErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, Error!);
}

/// <summary>
/// Checks <c>Authorization: Bearer</c> or the browser subprotocol <c>openai-insecure-api-key.&lt;key&gt;</c>
/// against <c>OpenAIEmulator:ApiKeys</c> (empty = any non-empty key) and minted ek_ secrets. The Azure variant also
/// takes Azure's <c>api-key</c> header, and, with Entra on, takes a Bearer only if it is a token the Entra stand-in
/// issued and has not expired; a minted secret only opens sessions of the variant that minted it.
/// </summary>
internal sealed class ApiKeyAuthenticator(IOptionsMonitor<OpenAIEmulatorOptions> options, ClientSecretStore secrets, EntraTokenIssuer entra)
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
        if (variant == ProviderVariant.Azure && entra.Settings.Enabled && HasBearer(context))
        {
            return entra.Accepts(key)
                ? new AuthResult(null, null)
                : new AuthResult(new RealtimeError(RealtimeError.InvalidRequest, "401", AuthResult.EntraRefusedMessage, null), null, AzureEntra: true);
        }
        var accepted = options.CurrentValue.ApiKeys;
        return accepted.Count == 0 || accepted.Contains(key, StringComparer.Ordinal)
            ? new AuthResult(null, null)
            : new AuthResult(HttpErrors.InvalidKey(key), null);
    }

    private static bool HasBearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

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
