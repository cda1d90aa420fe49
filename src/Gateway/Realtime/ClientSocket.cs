using System.Net.WebSockets;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The client's WebSocket as a session writes to it: one writer at a time (the Router relay, limits, drain and timers
/// all write), and one close. An end the platform decided first (an idle client, a revoked key) fixes the close's
/// status and reason: the Router's end of the stream may overtake it, and the client must still learn why.
/// </summary>
public sealed class ClientSocket(WebSocket socket, TimeProvider clock, ILogger logger, string sessionId)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _closing;
    private Ending? _ending;

    private sealed record Ending(WebSocketCloseStatus Status, string Reason);

    public WebSocket Socket => socket;

    /// <summary>Decides how the socket closes, unless a close has begun or an end was decided already: false then.</summary>
    public bool TryDecideEnding(WebSocketCloseStatus status, string reason) =>
        Volatile.Read(ref _closing) == 0 && Interlocked.CompareExchange(ref _ending, new Ending(status, reason), null) is null;

    /// <summary>Sends one text message while the socket is open; a broken socket is logged, not thrown (its reader sees it).</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            logger.LogDebug(e, "Could not send to client of session {SessionId}", sessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends the close frame, once (later calls do nothing), with the decided ending's status and reason if there is one.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        if (Volatile.Read(ref _ending) is { } ending) (status, reason) = (ending.Status, ending.Reason);
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), clock);
                await socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            logger.LogDebug(e, "Close of session {SessionId} failed", sessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // A close reason is limited to 123 UTF-8 bytes.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
