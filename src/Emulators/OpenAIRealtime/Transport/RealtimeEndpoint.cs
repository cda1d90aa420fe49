using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime.Auth;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Recording;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Transport;

/// <summary>
/// <c>GET /v1/realtime?model=…</c>: everything that happens before the upgrade (refusal fault, auth, beta
/// detection, subprotocol negotiation), then hands the socket to a <see cref="RealtimeSession"/>.
/// </summary>
public static class RealtimeEndpoint
{
    private const string RealtimeSubprotocol = "realtime";
    private const string BetaSubprotocol = "openai-beta.realtime-v1";

    public static IEndpointRouteBuilder MapRealtimeWebSocket(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/realtime", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, IOptionsMonitor<OpenAIEmulatorOptions> options,
        ApiKeyAuthenticator authenticator, InputAudioRecorder recorder, IHostApplicationLifetime lifetime, ILoggerFactory loggers,
        TimeProvider time)
    {
        var settings = options.CurrentValue;
        if (settings.Faults.RefuseConnections)
        {
            await HttpErrors.WriteAsync(context, settings.Faults.RefuseStatusCode, new RealtimeError("server_error", null,
                "The server is currently overloaded with other requests. Sorry about that! You can retry your request.", null));
            return;
        }

        var auth = authenticator.Authenticate(context, allowEphemeral: true);
        if (!auth.Ok)
        {
            await HttpErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, auth.Error!);
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

        var session = new RealtimeSession(socket, settings, query["model"].FirstOrDefault(), auth.Secret, recorder,
            time, loggers.CreateLogger<RealtimeSession>());
        using var stopping = lifetime.ApplicationStopping.Register(session.OnHostStopping);
        await session.RunAsync(beta);
    }
}
