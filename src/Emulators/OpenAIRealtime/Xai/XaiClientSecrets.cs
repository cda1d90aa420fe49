using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Auth;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;

namespace VoicePlatform.Emulators.OpenAIRealtime.Xai;

/// <summary>
/// xAI's <c>POST /v1/realtime/client_secrets</c> (served at <c>/xai/v1/realtime/client_secrets</c>): the body is only
/// <c>{"expires_after":{"seconds":N}}</c> (no session, no anchor) and the answer only <c>{value, expires_at}</c>.
/// </summary>
internal static class XaiClientSecrets
{
    private const int DefaultSeconds = 300;

    public static async Task CreateAsync(HttpContext context)
    {
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Authenticate(context, allowEphemeral: false, ProviderVariant.Xai);
        if (!auth.Ok)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, auth.Error!);
            return;
        }

        int seconds;
        try
        {
            using var body = context.Request.ContentLength is 0 ? JsonDocument.Parse("{}") : await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            if (Validate(body.RootElement, out seconds) is { } error)
            {
                await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, error);
                return;
            }
        }
        catch (JsonException)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                new RealtimeError(RealtimeError.InvalidRequest, null, "The request body is not valid JSON.", null));
            return;
        }

        var expiresAt = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(seconds);
        var secret = new ClientSecret("ek_" + IdGenerator.Shared.Next("x")[2..], expiresAt, SessionJson: null, ProviderVariant.Xai);
        context.RequestServices.GetRequiredService<ClientSecretStore>().Add(secret);

        context.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(context.Response.Body);
        w.WriteStartObject();
        w.WriteString("value"u8, secret.Value);
        w.WriteNumber("expires_at"u8, expiresAt.ToUnixTimeSeconds());
        w.WriteEndObject();
        await w.FlushAsync(context.RequestAborted);
    }

    private static RealtimeError? Validate(JsonElement root, out int seconds)
    {
        seconds = DefaultSeconds;
        if ((JsonRead.Object(root, "body") ?? JsonRead.OnlyKnown(root, "", "expires_after")) is { } e)
        {
            return e;
        }
        if (!root.TryGetProperty("expires_after", out var expires))
        {
            return null;
        }
        if ((JsonRead.Object(expires, "expires_after") ?? JsonRead.OnlyKnown(expires, "expires_after", "seconds")) is { } ee)
        {
            return ee;
        }
        return expires.TryGetProperty("seconds", out var s) ? JsonRead.Int(s, "expires_after.seconds", 1, 7200, out seconds) : null;
    }
}
