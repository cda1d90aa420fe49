using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;
using VoicePlatform.Emulators.OpenAIRealtime.Xai;

namespace VoicePlatform.Emulators.OpenAIRealtime.Auth;

/// <summary>
/// <c>POST /v1/realtime/client_secrets</c> (protocol §2): mints an <c>ek_…</c> key that the WebSocket accepts
/// as a Bearer token until it expires, pre-configuring the sessions it starts. Azure serves the same at
/// <c>/openai/v1/realtime/client_secrets</c> (its keys open Azure sessions only); xAI's form is <see cref="XaiClientSecrets"/>.
/// </summary>
public static class ClientSecretsEndpoint
{
    public static IServiceCollection AddClientSecrets(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ClientSecretStore>();
        services.AddSingleton<ApiKeyAuthenticator>();
        return services;
    }

    public static IEndpointRouteBuilder MapClientSecrets(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/realtime/client_secrets", context =>
            RealtimeEndpoint.RootVariant(context) == ProviderVariant.Xai
                ? XaiClientSecrets.CreateAsync(context)
                : CreateAsync(context, ProviderVariant.OpenAI));
        app.MapPost("/openai/v1/realtime/client_secrets", context => CreateAsync(context, ProviderVariant.Azure));
        app.MapPost("/xai/v1/realtime/client_secrets", XaiClientSecrets.CreateAsync);
        return app;
    }

    private static async Task CreateAsync(HttpContext context, ProviderVariant variant)
    {
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(context, allowEphemeral: false, variant);
        if (!auth.Ok)
        {
            await auth.WriteRefusalAsync(context);
            return;
        }

        JsonDocument body;
        try
        {
            body = context.Request.ContentLength is 0 ? JsonDocument.Parse("{}") : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await HttpErrors.WriteAsync(context, 400, new RealtimeError(RealtimeError.InvalidRequest, null,
                "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)", null));
            return;
        }

        using (body)
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            var (error, seconds, session) = Validate(body.RootElement);
            if (error is not null)
            {
                await HttpErrors.WriteAsync(context, 400, error);
                return;
            }

            var now = time.GetUtcNow();
            var expiresAt = now.AddSeconds(seconds);
            session!.Id = IdGenerator.Shared.Next("sess");
            session.ExpiresAt = expiresAt.ToUnixTimeSeconds();
            var sessionJson = body.RootElement.TryGetProperty("session", out var s) ? s.GetRawText() : "{\"type\":\"realtime\"}";
            var secret = new ClientSecret("ek_" + IdGenerator.Shared.Next("x")[2..], expiresAt, sessionJson, variant);
            context.RequestServices.GetRequiredService<ClientSecretStore>().Add(secret);

            context.Response.ContentType = "application/json";
            await using var w = new Utf8JsonWriter(context.Response.Body);
            w.WriteStartObject();
            w.WriteString("value"u8, secret.Value);
            w.WriteNumber("expires_at"u8, expiresAt.ToUnixTimeSeconds());
            w.WritePropertyName("session"u8);
            session.WriteTo(w);
            w.WriteEndObject();
            await w.FlushAsync(context.RequestAborted);
        }
    }

    private static (RealtimeError? Error, int Seconds, SessionConfig? Session) Validate(JsonElement root)
    {
        if (JsonRead.Object(root, "body") is { } notObject)
        {
            return (notObject, 0, null);
        }
        if (JsonRead.OnlyKnown(root, "", "expires_after", "session") is { } unknown)
        {
            return (unknown, 0, null);
        }

        var seconds = 600;
        if (root.TryGetProperty("expires_after", out var expires))
        {
            if ((JsonRead.Object(expires, "expires_after") ?? JsonRead.OnlyKnown(expires, "expires_after", "anchor", "seconds")) is { } e)
            {
                return (e, 0, null);
            }
            if (expires.TryGetProperty("anchor", out var anchor) && JsonRead.Enum(anchor, "expires_after.anchor", ["created_at"], out _) is { } ae)
            {
                return (ae, 0, null);
            }
            if (expires.TryGetProperty("seconds", out var s) && JsonRead.Int(s, "expires_after.seconds", 10, 7200, out seconds) is { } se)
            {
                return (se, 0, null);
            }
        }

        var session = new SessionConfig();
        if (root.TryGetProperty("session", out var sessionEl))
        {
            if (sessionEl.ValueKind == JsonValueKind.Object && sessionEl.TryGetProperty("type", out var type) && type.ValueEquals("transcription"))
            {
                return (RealtimeError.InvalidValueMessage("session.type", "Transcription sessions are not supported by this emulator."), 0, null);
            }
            if (SessionConfigParser.Apply(sessionEl, session, new SessionConfigParser.UpdateContext(false)) is { } ve)
            {
                return (ve, 0, null);
            }
        }
        return (null, seconds, session);
    }
}
