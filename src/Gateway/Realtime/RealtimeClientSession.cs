using VoicePlatform.Contracts.Realtime;
using System.Net.WebSockets;
using System.Threading.RateLimiting;
using Grpc.Core;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// One client connection on the OpenAI Realtime front-end: client messages → canonical frames on the Router
/// stream, Router frames → client events. Two loops; the client socket has one writer at a time.
/// </summary>
public sealed class RealtimeClientSession(
    WebSocket socket,
    RealtimeRouter.RealtimeRouterClient router,
    RealtimeOptions options,
    SessionStart start,
    RealtimeMetrics metrics,
    ILogger logger)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ClientAudioFormats _formats = new();
    private int _closing;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var expiry = new CancellationTokenSource(options.MaxSessionDuration);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted, expiry.Token);
        using var call = router.RunSession(cancellationToken: lifetime.Token);
        var outbound = new ServerEventTranslator(_formats, start.SessionId);
        Task fromRouter = Task.CompletedTask, fromClient = Task.CompletedTask;

        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { Start = start }, lifetime.Token);

            fromRouter = RelayRouterToClientAsync(call.ResponseStream, outbound, lifetime.Token);
            fromClient = RelayClientToRouterAsync(call.RequestStream, lifetime.Token);
            if (await Task.WhenAny(fromRouter, fromClient) == fromClient)
            {
                // The client left: end the request stream so the Router winds the provider down, then let the
                // Router's end reach the client (it completes the close handshake).
                await fromClient;
                await CompleteRequestsAsync(call);
                await fromRouter.WaitAsync(TimeSpan.FromSeconds(5), lifetime.Token);
            }
            else
            {
                // The Router ended the session and we sent our close: wait briefly for the client's close reply.
                await fromRouter;
                await Task.WhenAny(fromClient, Task.Delay(TimeSpan.FromSeconds(2), lifetime.Token));
            }
        }
        catch (Exception e) when (expiry.IsCancellationRequested && !aborted.IsCancellationRequested
            && e is OperationCanceledException or RpcException)
        {
            logger.LogInformation("Session {SessionId} hit the maximum duration of {Duration}", start.SessionId, options.MaxSessionDuration);
            await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, "session_expired",
                $"Your session hit the maximum duration of {options.MaxSessionDuration.TotalMinutes:0} minutes.", null, null).ToJson(), CancellationToken.None);
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "session_expired");
        }
        catch (RpcException e) when (!aborted.IsCancellationRequested && e.StatusCode != StatusCode.Cancelled)
        {
            logger.LogWarning(e, "Router stream failed for session {SessionId}", start.SessionId);
            await SendAsync(new RealtimeErrorEvent("server_error", "router_unavailable",
                "The session's routing service became unavailable.", null, null).ToJson(), CancellationToken.None);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "router_unavailable");
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or RpcException or WebSocketException or IOException)
        {
            // Client connection aborted or the wind-down timed out; nothing left to tell anyone.
            logger.LogDebug(e, "Session {SessionId} ended abruptly", start.SessionId);
        }
        catch (Exception e)
        {
            // A defect, not a client or network problem: tell the client properly instead of dropping the socket.
            logger.LogError(e, "Session {SessionId} failed", start.SessionId);
            await SendAsync(new RealtimeErrorEvent("server_error", "internal_error",
                "The server had an error while processing your session. Please reconnect.", null, null).ToJson(), CancellationToken.None);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "internal_error");
        }
        finally
        {
            await lifetime.CancelAsync();
            await Task.WhenAll(fromRouter, fromClient).ContinueWith(static _ => { }, TaskScheduler.Default); // observe
        }
    }

    private async Task RelayClientToRouterAsync(IClientStreamWriter<SessionClientFrame> requests, CancellationToken cancellationToken)
    {
        using var reader = new ClientMessageReader(socket, options.MaxMessageBytes);
        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.MessageBurst,
            TokensPerPeriod = options.MessagesPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        var inbound = new ClientEventTranslator(_formats);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = await reader.ReadAsync(cancellationToken);
                switch (message.Kind)
                {
                    case ClientMessageKind.Closed:
                        return;
                    case ClientMessageKind.TooLarge:
                        metrics.ClientError("message_too_large");
                        await SendAsync(RealtimeErrorEvent.Invalid("message_too_large",
                            $"The message exceeds the maximum size of {options.MaxMessageBytes} bytes and was discarded.", null, null).ToJson(), cancellationToken);
                        continue;
                }

                using var lease = limiter.AttemptAcquire();
                if (!lease.IsAcquired)
                {
                    metrics.ClientError("rate_limit_exceeded");
                    await SendAsync(new RealtimeErrorEvent("rate_limit_error", "rate_limit_exceeded",
                        $"Too many messages: the limit is {options.MessagesPerSecond} per second (burst {options.MessageBurst}). The message was discarded.",
                        null, null).ToJson(), cancellationToken);
                    continue;
                }

                var translation = inbound.Translate(message.Payload);
                if (translation.Error is { } error)
                {
                    metrics.ClientError(error.Code ?? error.Type);
                    await SendAsync(error.ToJson(), cancellationToken);
                    continue;
                }
                await requests.WriteAsync(translation.Frame!, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Client socket of session {SessionId} failed", start.SessionId);
        }
    }

    private async Task RelayRouterToClientAsync(IAsyncStreamReader<SessionServerFrame> responses, ServerEventTranslator outbound, CancellationToken cancellationToken)
    {
        // The provider connection is made before the first event: bound that wait so a stuck provider cannot hang the client.
        using (var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startTimeout.CancelAfter(options.StartTimeout);
            bool any;
            try
            {
                any = await responses.MoveNext(startTimeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
                && startTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Session {SessionId} got no session.created within {Timeout}", start.SessionId, options.StartTimeout);
                await SendAsync(new RealtimeErrorEvent("server_error", "provider_timeout",
                    $"The model provider did not start the session within {options.StartTimeout.TotalSeconds:0} seconds.", null, null).ToJson(), CancellationToken.None);
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "provider_timeout");
                return;
            }
            if (!any)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (await ForwardAsync(responses.Current, outbound, cancellationToken)) return;
        }

        while (await responses.MoveNext(cancellationToken))
        {
            if (await ForwardAsync(responses.Current, outbound, cancellationToken)) return;
        }
        // The Router finished the stream without an explicit end: close normally.
        await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
    }

    /// <summary>Sends one Router frame to the client; true when it ended the session.</summary>
    private async ValueTask<bool> ForwardAsync(SessionServerFrame frame, ServerEventTranslator outbound, CancellationToken cancellationToken)
    {
        switch (frame.FrameCase)
        {
            case SessionServerFrame.FrameOneofCase.OutputAudio:
                await SendAsync(outbound.AudioDelta(frame.OutputAudio), cancellationToken);
                return false;
            case SessionServerFrame.FrameOneofCase.ServerEvent:
                await SendAsync(outbound.Event(frame.ServerEvent.Json.Memory, out _), cancellationToken);
                return false;
            case SessionServerFrame.FrameOneofCase.End:
                var end = frame.End;
                await CloseAsync((WebSocketCloseStatus)(end.CloseStatus == 0 ? 1000 : end.CloseStatus), end.Reason);
                return true;
            default:
                return false;
        }
    }

    private static async Task CompleteRequestsAsync(AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call)
    {
        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // The stream already ended.
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            logger.LogDebug(e, "Could not send to client of session {SessionId}", start.SessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            logger.LogDebug(e, "Close of session {SessionId} failed", start.SessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // A close reason is limited to 123 UTF-8 bytes.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
