using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;

namespace VoicePlatform.Emulators.OpenAIRealtime.Azure;

/// <summary>A client-credentials request refused the way Entra refuses it (HTTP status, OAuth error, AADSTS code).</summary>
internal sealed record EntraRefusal(int Status, string Error, int AadstsCode, string Description);

/// <summary>An issued token: its value, the scope it was issued for and its expiry (on the emulator's clock).</summary>
internal sealed record EntraToken(string Value, string Scope, DateTimeOffset ExpiresAt);

/// <summary>
/// The Entra stand-in's state: issues client-credentials tokens per <see cref="AzureEntraOptions"/> and tells the
/// Azure path whether a Bearer is one of them and unexpired. Counts requests so tests can see the client's caching.
/// </summary>
internal sealed class EntraTokenIssuer(IOptionsMonitor<OpenAIEmulatorOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EntraToken> _issued = new(StringComparer.Ordinal);
    private int _requests;

    public AzureEntraOptions Settings => options.CurrentValue.Azure.Entra;

    /// <summary>Token requests received, granted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int Issued => _issued.Count;

    /// <summary>Checks a token request's form and issues a token, or says why not.</summary>
    public (EntraToken? Token, EntraRefusal? Refusal) Issue(string tenant, IFormCollection form)
    {
        Interlocked.Increment(ref _requests);
        var settings = Settings;
        var clientId = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        var scope = form["scope"].ToString().Trim();
        if (settings.TenantId.Length > 0 && !string.Equals(tenant, settings.TenantId, StringComparison.OrdinalIgnoreCase))
            return (null, new(400, "invalid_request", 90002, $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
        if (form["grant_type"].ToString() != "client_credentials")
            return (null, new(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type."));
        if (clientId.Length == 0 || settings.ClientId.Length > 0 && clientId != settings.ClientId)
            return (null, new(400, "unauthorized_client", 700016, $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant}'."));
        if (secret.Length == 0 || settings.ClientSecret.Length > 0 && secret != settings.ClientSecret)
            return (null, new(401, "invalid_client", 7000215,
                $"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'."));
        if (!settings.Scopes.Contains(scope, StringComparer.OrdinalIgnoreCase))
            return (null, new(400, "invalid_resource", 500011,
                $"AADSTS500011: The resource principal named {scope.Replace("/.default", "", StringComparison.Ordinal)} was not found in the tenant named {tenant}."));

        var now = time.GetUtcNow();
        var expiresAt = now + settings.TokenLifetime;
        foreach (var (value, old) in _issued)
        {
            if (old.ExpiresAt <= now) _issued.TryRemove(value, out _);
        }
        var token = new EntraToken(NewValue(settings, tenant, clientId, scope, now, expiresAt), scope, expiresAt);
        _issued[token.Value] = token;
        return (token, null);
    }

    /// <summary>Whether <paramref name="bearer"/> is a token this issuer gave out that has not expired.</summary>
    public bool Accepts(string bearer) => _issued.TryGetValue(bearer, out var token) && token.ExpiresAt > time.GetUtcNow();

    private static string NewValue(AzureEntraOptions settings, string tenant, string clientId, string scope, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        if (string.Equals(settings.TokenFormat, AzureEntraOptions.OpaqueFormat, StringComparison.OrdinalIgnoreCase))
            return "entra_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // Entra's v1 access-token claims for an app; the signature is random bytes (the emulator checks by lookup).
        var header = JsonSerializer.Serialize(new { typ = "JWT", alg = "RS256", kid = "emulator" });
        var claims = JsonSerializer.Serialize(new
        {
            aud = scope.Replace("/.default", "", StringComparison.Ordinal),
            iss = $"https://sts.windows.net/{tenant}/",
            iat = now.ToUnixTimeSeconds(),
            nbf = now.ToUnixTimeSeconds(),
            exp = expiresAt.ToUnixTimeSeconds(),
            appid = clientId,
            tid = tenant,
            oid = Guid.NewGuid(),
            jti = Guid.NewGuid(),
        });
        return $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(claims))}.{Base64Url(RandomNumberGenerator.GetBytes(64))}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
