using System.Net.WebSockets;
using Grpc.Core;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Contracts.SessionSockets;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.SessionSockets;

/// <summary>
/// <c>RealtimeRouter.RunSession</c> over a WebSocket (<see cref="SessionSocket"/>): the same relay, the same frames, on
/// the Router's HTTP/1.1 port. The upgrade's answer plays the part of gRPC's response headers ("this Router took the
/// stream"); the relay's outcome becomes the close (normal, or 4000 + gRPC status code with its detail).
/// </summary>
public static class SessionSocketEndpoint
{
    public static WebApplication MapSessionSocket(this WebApplication app)
    {
        app.UseWebSockets();
        app.Map(SessionSocket.Path, RunAsync);
        return app;
    }

    private static async Task RunAsync(HttpContext context, SessionRelay relay, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SessionSocket.SubProtocol) ? SessionSocket.SubProtocol : null,
            DangerousEnableCompression = false,
        });
        // gRPC cancels a call whose client went away; a broken socket does the same here, so the relay ends the session
        // ("gateway_gone") instead of waiting on a stream that will never move again.
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        void Broken() => call.Cancel();
        var frames = new SocketMessageReader<SessionClientFrame>(socket, SessionClientFrame.Parser, SessionStreamLimits.MaxStreamMessageBytes, Broken);
        var responses = new SocketMessageWriter<SessionServerFrame>(socket, Broken);
        var outcome = Status.DefaultSuccess;
        try
        {
            await relay.RunAsync(frames, responses, call.Token);
        }
        catch (RpcException e)
        {
            outcome = e.Status;
        }
        catch (Exception) when (call.IsCancellationRequested)
        {
            return; // the Gateway is gone: nobody to tell
        }
        catch (Exception e)
        {
            loggers.CreateLogger(typeof(SessionSocketEndpoint)).LogError(e, "A session stream failed");
            outcome = new Status(StatusCode.Unknown, "Exception was thrown by handler.");
        }
        if (call.IsCancellationRequested) return;
        var (status, reason) = SessionSocket.CloseFor(outcome);
        try
        {
            await socket.CloseOutputAsync(status, reason, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // Gone meanwhile.
        }
    }
}
