using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Azure;

/// <summary>
/// The Microsoft Entra ID stand-in (<c>OpenAIEmulator:Azure:Entra:Enabled</c>), served on the emulator's own host so
/// a client's <c>AuthorityHost</c> can point at it: <c>POST /{tenant}/oauth2/v2.0/token</c> (client credentials),
/// <c>GET /{tenant}/v2.0/.well-known/openid-configuration</c>, and the test-only counters at <c>GET /emulator/entra</c>.
/// All 404 while Entra is off.
/// </summary>
public static class EntraEndpoints
{
    public static IServiceCollection AddEntraTokens(this IServiceCollection services) => services.AddSingleton<EntraTokenIssuer>();

    public static IEndpointRouteBuilder MapEntraTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", TokenAsync);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", OpenIdConfigurationAsync);
        app.MapGet("/emulator/entra", (EntraTokenIssuer issuer) => issuer.Settings.Enabled
            ? Results.Json(new { token_requests = issuer.Requests, tokens_issued = issuer.Issued })
            : Results.NotFound());
        return app;
    }

    private static async Task TokenAsync(HttpContext context, string tenant)
    {
        var issuer = context.RequestServices.GetRequiredService<EntraTokenIssuer>();
        if (!issuer.Settings.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!context.Request.HasFormContentType)
        {
            await WriteRefusalAsync(context, new EntraRefusal(400, "invalid_request", 900144,
                "AADSTS900144: The request body must contain the following parameter: 'grant_type'."));
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (token, refusal) = issuer.Issue(tenant, form);
        if (refusal is not null)
        {
            await WriteRefusalAsync(context, refusal);
            return;
        }
        var seconds = (long)issuer.Settings.TokenLifetime.TotalSeconds;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        await Results.Json(new { token_type = "Bearer", expires_in = seconds, ext_expires_in = seconds, access_token = token!.Value })
            .ExecuteAsync(context);
    }

    private static async Task OpenIdConfigurationAsync(HttpContext context, string tenant)
    {
        var issuer = context.RequestServices.GetRequiredService<EntraTokenIssuer>();
        if (!issuer.Settings.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var authority = $"{context.Request.Scheme}://{context.Request.Host}/{tenant}";
        await Results.Json(new
        {
            token_endpoint = $"{authority}/oauth2/v2.0/token",
            authorization_endpoint = $"{authority}/oauth2/v2.0/authorize",
            jwks_uri = $"{authority}/discovery/v2.0/keys",
            issuer = $"{authority}/v2.0",
            token_endpoint_auth_methods_supported = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
            response_types_supported = new[] { "code", "id_token", "code id_token", "id_token token" },
            scopes_supported = new[] { "openid", "profile", "email", "offline_access" },
            tenant_region_scope = "NA",
        }).ExecuteAsync(context);
    }

    /// <summary>Entra's error body: OAuth <c>error</c> and <c>error_description</c> plus its AADSTS codes and ids.</summary>
    private static async Task WriteRefusalAsync(HttpContext context, EntraRefusal refusal)
    {
        var time = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var traceId = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        context.Response.StatusCode = refusal.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("error"u8, refusal.Error);
        w.WriteString("error_description"u8,
            $"{refusal.Description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {time:yyyy-MM-dd HH:mm:ss}Z");
        w.WriteStartArray("error_codes"u8);
        w.WriteNumberValue(refusal.AadstsCode);
        w.WriteEndArray();
        w.WriteString("timestamp"u8, time.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("trace_id"u8, traceId.ToString());
        w.WriteString("correlation_id"u8, correlationId.ToString());
        w.WriteString("error_uri"u8, $"https://login.microsoftonline.com/error?code={refusal.AadstsCode}");
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }
}
