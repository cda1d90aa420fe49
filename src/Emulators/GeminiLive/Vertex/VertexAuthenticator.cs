using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// Credentials on the Vertex (LlmBidiService) paths: <c>Authorization: Bearer</c> with a token minted at
/// <c>POST /token</c> and not expired, or an API key (express mode: <c>x-goog-api-key</c>, or <c>?key=</c> as Google's
/// front end accepts for any API). Anything else is refused with HTTP 401 at the upgrade, as Google does.
/// </summary>
internal static class VertexAuthenticator
{
    private const string InvalidCredentials =
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    /// <returns>The accepted credential, or the ErrorInfo reason of the 401.</returns>
    public static (LiveAuth? Auth, string Reason) Authenticate(HttpContext context, GeminiEmulatorOptions options, AccessTokenStore tokens)
    {
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = tokens.Find(authorization["Bearer ".Length..].Trim());
            if (token is null)
            {
                return (null, "ACCESS_TOKEN_TYPE_UNSUPPORTED");
            }

            return tokens.IsExpired(token)
                ? (null, "ACCESS_TOKEN_EXPIRED")
                : (LiveAuth.Ok(null) with { ExpiresAt = token.ExpiresAt }, string.Empty);
        }

        var key = context.Request.Headers["x-goog-api-key"].FirstOrDefault() ?? context.Request.Query["key"].FirstOrDefault();
        if (key is null)
        {
            // Unlike the Developer API with an empty ApiKeys list, Vertex never takes a request without a credential.
            return (null, "CREDENTIALS_MISSING");
        }

        return ApiKeys.IsAccepted(options, key) ? (LiveAuth.Ok(null), string.Empty) : (null, "API_KEY_INVALID");
    }

    /// <summary>Google's 401 body: <c>{"error":{"code":401,"message":…,"status":"UNAUTHENTICATED","details":[ErrorInfo]}}</c>.</summary>
    public static Task RejectAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\"";
        return context.Response.WriteAsJsonAsync(new
        {
            error = new
            {
                code = 401,
                message = InvalidCredentials,
                status = "UNAUTHENTICATED",
                details = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                        ["reason"] = reason,
                        ["domain"] = "googleapis.com",
                        ["metadata"] = new Dictionary<string, string> { ["service"] = "aiplatform.googleapis.com" },
                    },
                },
            },
        });
    }
}
