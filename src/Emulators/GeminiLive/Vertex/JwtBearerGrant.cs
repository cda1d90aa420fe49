using System.Text;
using System.Text.Json;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// Checks the assertion of Google's service-account flow (RFC 7523 JWT bearer grant): RS256, <c>iss</c>, the
/// cloud-platform <c>scope</c>, <c>aud</c>, and <c>iat</c>/<c>exp</c> at most an hour apart and not expired.
/// Errors carry the texts Google's token endpoint answers with.
/// </summary>
internal static class JwtBearerGrant
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private const string BadTimes =
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";

    /// <summary>Clients sign with their own clock; an <c>iat</c> this far ahead of ours is still reasonable.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="keys">Known service accounts; empty = any signature is accepted.</param>
    /// <param name="audiences">Accepted <c>aud</c> values.</param>
    /// <returns>The service account (<c>iss</c>), or an error.</returns>
    public static TokenGrantOutcome Verify(string assertion, IReadOnlyList<ServiceAccountKey> keys, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return TokenGrantOutcome.Fail("invalid_grant", "Invalid JWT: malformed assertion.");
        }

        JsonDocument header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url(parts[0]));
            claims = JsonDocument.Parse(Base64Url(parts[1]));
            signature = Base64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return TokenGrantOutcome.Fail("invalid_grant", "Invalid JWT: malformed assertion.");
        }

        using (header)
        using (claims)
        {
            if (String(header.RootElement, "alg") != "RS256")
            {
                return TokenGrantOutcome.Fail("invalid_grant", "Invalid JWT Signature.");
            }

            var issuer = String(claims.RootElement, "iss");
            if (string.IsNullOrEmpty(issuer))
            {
                return TokenGrantOutcome.Fail("invalid_grant", "Invalid grant: account not found");
            }

            if (keys.Count > 0)
            {
                var key = keys.FirstOrDefault(k => k.ClientEmail == issuer);
                if (key is null)
                {
                    return TokenGrantOutcome.Fail("invalid_grant", "Invalid grant: account not found");
                }

                var keyId = String(header.RootElement, "kid");
                var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
                if ((keyId is not null && key.PrivateKeyId is not null && keyId != key.PrivateKeyId) || !key.Verifies(signed, signature))
                {
                    return TokenGrantOutcome.Fail("invalid_grant", "Invalid JWT Signature.");
                }
            }

            var audience = String(claims.RootElement, "aud");
            if (audience is null || !audiences.Contains(audience))
            {
                return TokenGrantOutcome.Fail("invalid_grant", "Invalid JWT: Failed audience check.");
            }

            var scopes = (String(claims.RootElement, "scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!scopes.Contains(CloudPlatformScope, StringComparer.Ordinal))
            {
                return TokenGrantOutcome.Fail("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
            }

            if (Seconds(claims.RootElement, "iat") is not { } iat || Seconds(claims.RootElement, "exp") is not { } exp)
            {
                return TokenGrantOutcome.Fail("invalid_grant", BadTimes);
            }

            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(iat);
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
            if (exp <= iat || exp - iat > 3600 || expiresAt <= now || issuedAt > now + ClockSkew)
            {
                return TokenGrantOutcome.Fail("invalid_grant", BadTimes);
            }

            return TokenGrantOutcome.Granted(issuer);
        }
    }

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Seconds(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var seconds)
            ? seconds
            : null;

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch
        {
            2 => "==",
            3 => "=",
            0 => string.Empty,
            _ => throw new FormatException("bad base64url length"),
        };
        return Convert.FromBase64String(padded);
    }
}

/// <summary>The outcome of a token grant: the service account, or an OAuth error code and description.</summary>
internal sealed record TokenGrantOutcome(string? ServiceAccount, string? Error, string? Description)
{
    public static TokenGrantOutcome Granted(string serviceAccount) => new(serviceAccount, null, null);
    public static TokenGrantOutcome Fail(string error, string description) => new(null, error, description);
}
