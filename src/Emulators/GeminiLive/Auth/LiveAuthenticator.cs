using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

/// <summary>
/// Credentials as the SDKs send them: <c>?key=</c> or <c>x-goog-api-key</c> on BidiGenerateContent;
/// <c>?access_token=</c> or <c>Authorization: Token …</c> on BidiGenerateContentConstrained.
/// </summary>
internal static class LiveAuthenticator
{
    public static LiveAuth Authenticate(HttpContext context, LiveRoute route, GeminiEmulatorOptions options, EphemeralTokenStore tokens)
    {
        if (!route.Constrained)
        {
            var key = context.Request.Query["key"].FirstOrDefault() ?? context.Request.Headers["x-goog-api-key"].FirstOrDefault();
            return ApiKeys.IsAccepted(options, key)
                ? LiveAuth.Ok(null)
                : LiveAuth.Fail(CloseDirective.Policy(CloseDirective.ApiKeyInvalid));
        }

        var tokenName = context.Request.Query["access_token"].FirstOrDefault();
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (tokenName is null && authorization is not null && authorization.StartsWith("Token ", StringComparison.OrdinalIgnoreCase))
        {
            tokenName = authorization["Token ".Length..].Trim();
        }

        var token = tokenName is null ? null : tokens.Find(tokenName);
        if (token is null)
        {
            return LiveAuth.Fail(CloseDirective.Policy(CloseDirective.ApiKeyInvalid));
        }

        return tokens.IsExpired(token)
            ? LiveAuth.Fail(CloseDirective.Invalid("API key expired. Please renew the API key."))
            : LiveAuth.Ok(token);
    }
}

internal sealed record LiveAuth(bool Valid, CloseDirective? Failure, EphemeralToken? Token)
{
    /// <summary>When the credential expires (a Vertex bearer token); null = it does not.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public static LiveAuth Ok(EphemeralToken? token) => new(true, null, token);
    public static LiveAuth Fail(CloseDirective failure) => new(false, failure, null);
}
