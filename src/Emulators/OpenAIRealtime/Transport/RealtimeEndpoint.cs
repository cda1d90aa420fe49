using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Auth;
using VoicePlatform.Emulators.OpenAIRealtime.Azure;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Recording;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Transport;

/// <summary>
/// <c>GET /v1/realtime?model=…</c>: everything that happens before the upgrade (refusal fault, auth, beta
/// detection, subprotocol negotiation), then hands the socket to a <see cref="RealtimeSession"/>.
/// The same socket is served in Azure's dialect at <c>/openai/v1/realtime</c> and in xAI's at <c>/xai/v1/realtime</c>;
/// the root path speaks <c>OpenAIEmulator:Variant</c>.
/// </summary>
public static class RealtimeEndpoint
{
    private const string RealtimeSubprotocol = "realtime";
    private const string BetaSubprotocol = "openai-beta.realtime-v1";

    public static IEndpointRouteBuilder MapRealtimeWebSocket(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/realtime", (HttpContext context) => HandleAsync(context, RootVariant(context)));
        app.MapGet("/openai/v1/realtime", (HttpContext context) => HandleAsync(context, ProviderVariant.Azure));
        app.MapGet("/xai/v1/realtime", (HttpContext context) => HandleAsync(context, ProviderVariant.Xai));
        return app;
    }

    /// <summary>The variant the root paths (<c>/v1/realtime…</c>) speak: <c>OpenAIEmulator:Variant</c>.</summary>
    internal static ProviderVariant RootVariant(HttpContext context) =>
        string.Equals(context.RequestServices.GetRequiredService<IOptionsMonitor<OpenAIEmulatorOptions>>().CurrentValue.Variant, "xai",
            StringComparison.OrdinalIgnoreCase) ? ProviderVariant.Xai : ProviderVariant.OpenAI;

    private static async Task HandleAsync(HttpContext context, ProviderVariant variant)
    {
        var services = context.RequestServices;
        var settings = services.GetRequiredService<IOptionsMonitor<OpenAIEmulatorOptions>>().CurrentValue;
        if (settings.Faults.RefuseConnections)
        {
            await HttpErrors.WriteAsync(context, settings.Faults.RefuseStatusCode, new RealtimeError("server_error", null,
                "The server is currently overloaded with other requests. Sorry about that! You can retry your request.", null));
            return;
        }

        var auth = services.GetRequiredService<ApiKeyAuthenticator>().Authenticate(context, allowEphemeral: true, variant);
        if (!auth.Ok)
        {
            await auth.WriteRefusalAsync(context);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, new RealtimeError(RealtimeError.InvalidRequest, null,
                "This endpoint only accepts WebSocket connections (GET with Upgrade: websocket).", null));
            return;
        }

        var query = context.Request.Query;
        if (query.ContainsKey("intent") || query.ContainsKey("call_id"))
        {
            // Transcription-only sessions and SIP/WebRTC sideband attachment are outside the emulator's scope.
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, new RealtimeError(RealtimeError.InvalidRequest,
                "unsupported_parameter", "The emulator supports model sessions only (no intent or call_id).", null));
            return;
        }

        var model = query["model"].FirstOrDefault();
        string? servedModel = null;
        if (variant == ProviderVariant.Azure && string.IsNullOrEmpty(model) && auth.Secret is null)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, RealtimeError.Missing("model"));
            return;
        }
        if (variant == ProviderVariant.Azure && !string.IsNullOrEmpty(model))
        {
            servedModel = AzureDeployments.Resolve(settings.Azure, model, out var refusal);
            if (servedModel is null)
            {
                await AzureDeployments.WriteRefusalAsync(context, refusal!);
                return;
            }
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var beta = context.Request.Headers["OpenAI-Beta"].Any(v => v is not null && v.Contains("realtime=v1", StringComparison.OrdinalIgnoreCase))
            || requested.Contains(BetaSubprotocol);
        var accept = new WebSocketAcceptContext
        {
            // Browsers fail the handshake unless the server picks one of the offered subprotocols.
            SubProtocol = requested.Contains(RealtimeSubprotocol) ? RealtimeSubprotocol : null,
            DangerousEnableCompression = false,
        };
        using var socket = await context.WebSockets.AcceptWebSocketAsync(accept);

        var session = new RealtimeSession(socket, settings, new SessionOpening(variant, model, servedModel, auth.Secret),
            services.GetRequiredService<InputAudioRecorder>(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<RealtimeSession>());
        using var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(session.OnHostStopping);
        await session.RunAsync(beta);
    }
}
