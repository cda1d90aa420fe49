using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Vertex;

/// <summary>
/// <c>POST /token</c>: Google's OAuth 2.0 token endpoint for the service-account flow
/// (<c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&amp;assertion=&lt;JWT&gt;</c>), minting the bearer
/// tokens the Vertex WebSocket paths accept. A key file's <c>token_uri</c> pointing here sends the request here; the
/// <c>aud</c> signed into the JWT is Google's URL (Google.Apis.Auth 1.78.0, checked in the tests) or, for other clients,
/// possibly the <c>token_uri</c> itself: both are accepted.
/// </summary>
internal static class OAuthTokenEndpoint
{
    public const string Path = "/token";
    private const string JwtBearerGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>Google's token URLs: current, and the older ones some clients still put in <c>aud</c>.</summary>
    private static readonly string[] GoogleAudiences =
        ["https://oauth2.googleapis.com/token", "https://www.googleapis.com/oauth2/v4/token", "https://accounts.google.com/o/oauth2/token"];

    public static WebApplication MapOAuthTokenEndpoint(this WebApplication app)
    {
        app.MapPost(Path, MintAsync);
        return app;
    }

    private static async Task<IResult> MintAsync(
        HttpContext context, AccessTokenStore tokens, IOptionsMonitor<GeminiEmulatorOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        if (!context.Request.HasFormContentType)
        {
            return Error("invalid_request", "Invalid request: expected application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].FirstOrDefault();
        if (string.IsNullOrEmpty(grantType))
        {
            return Error("invalid_request", "Missing required parameter: grant_type");
        }

        if (grantType != JwtBearerGrantType)
        {
            return Error("unsupported_grant_type", "Invalid grant_type: " + grantType);
        }

        var assertion = form["assertion"].FirstOrDefault();
        if (string.IsNullOrEmpty(assertion))
        {
            return Error("invalid_request", "Missing required parameter: assertion");
        }

        var vertex = options.CurrentValue.Vertex;
        List<ServiceAccountKey> keys;
        try
        {
            keys = vertex.ServiceAccountKeyFiles.Select(ServiceAccountKey.Load).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException or KeyNotFoundException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            // A broken key file is the operator's mistake; say so in the log, not to the client.
            loggers.CreateLogger(typeof(OAuthTokenEndpoint)).LogError(ex, "Vertex:ServiceAccountKeyFiles could not be read");
            return Results.Json(new { error = "internal_failure", error_description = "Internal error." }, statusCode: 500);
        }

        var request = context.Request;
        string[] audiences = [.. GoogleAudiences, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}"];
        var outcome = JwtBearerGrant.Verify(assertion, keys, audiences, time.GetUtcNow());
        if (outcome.ServiceAccount is null)
        {
            return Error(outcome.Error!, outcome.Description!);
        }

        var token = tokens.Mint(outcome.ServiceAccount, vertex.TokenLifetime);
        return Results.Json(new
        {
            access_token = token.Value,
            expires_in = (long)vertex.TokenLifetime.TotalSeconds,
            token_type = "Bearer",
        });
    }

    /// <summary>The OAuth error shape Google's token endpoint answers with (HTTP 400).</summary>
    private static IResult Error(string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
}
