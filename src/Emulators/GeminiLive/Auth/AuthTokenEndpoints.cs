using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

/// <summary>POST /{v1alpha|v1beta}/auth_tokens — mints ephemeral tokens for the Constrained endpoint.</summary>
internal static class AuthTokenEndpoints
{
    public static WebApplication MapAuthTokenEndpoints(this WebApplication app)
    {
        app.MapPost("/{version:regex(^(v1|v1alpha|v1beta)$)}/auth_tokens", CreateAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, EphemeralTokenStore store, IOptionsMonitor<GeminiEmulatorOptions> options)
    {
        var key = context.Request.Headers["x-goog-api-key"].FirstOrDefault() ?? context.Request.Query["key"].FirstOrDefault();
        if (!ApiKeys.IsAccepted(options.CurrentValue, key))
        {
            return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        }

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        }

        var uses = body["uses"] is JsonValue u ? int.Parse(u.ToString(), CultureInfo.InvariantCulture) : 1;
        var expire = ReadTime(body["expireTime"]);
        var newSession = ReadTime(body["newSessionExpireTime"]);
        var constraints = body["bidiGenerateContentSetup"] as JsonObject;
        var token = store.Mint(uses, expire, newSession, constraints?.DeepClone() as JsonObject);

        return Results.Json(new
        {
            name = token.Name,
            uses = token.Uses,
            expireTime = token.ExpireTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            newSessionExpireTime = token.NewSessionExpireTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        });
    }

    private static DateTimeOffset? ReadTime(JsonNode? node) =>
        node is JsonValue value && DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>Google API error body shape.</summary>
    private static IResult Error(int code, string status, string message) =>
        Results.Json(new { error = new { code, message, status } }, statusCode: code);
}
