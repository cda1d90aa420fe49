using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Configuration;

namespace VoicePlatform.Cli.Talk;

/// <summary>
/// One realtime WebSocket to the gateway (<c>/v1/realtime?model=…</c>, OpenAI Realtime GA events as JSON text frames).
/// Sends are serialised; one reader calls <see cref="ReceiveAsync"/>.
/// </summary>
public sealed class RealtimeConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private RealtimeConnection(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static Uri RealtimeUri(Uri gateway, string model, string? user)
    {
        var builder = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws" };
        builder.Path = builder.Path.TrimEnd('/') + "/v1/realtime";
        builder.Query = $"model={Uri.EscapeDataString(model)}" + (user is null ? "" : $"&user={Uri.EscapeDataString(user)}");
        return builder.Uri;
    }

    public static async Task<RealtimeConnection> ConnectAsync(ConnectionSettings settings, string apiKey, string model, string? user, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {apiKey}");
        socket.Options.CollectHttpResponseDetails = true; // to tell a refused key (401) from a refused connection
        if (DevCertificateTrust.For(settings) is { } validate) socket.Options.RemoteCertificateValidationCallback = validate;
        var uri = RealtimeUri(settings.GatewayUrl, model, user);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(uri, timeout.Token);
            return new RealtimeConnection(socket);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == 0) throw PlatformApiClient.CannotConnect(uri, e);
            var text = status switch
            {
                HttpStatusCode.Unauthorized => "the gateway refused the API key (HTTP 401 invalid_api_key)",
                HttpStatusCode.TooManyRequests => "the gateway refused the session: a limit was reached (HTTP 429; see the tenant's limits and budget)",
                _ => $"the gateway refused the session (HTTP {(int)status} {status})",
            };
            throw new CliException(ServerError.ExitCodeFor(status, null), text, e);
        }
    }

    public async Task SendAsync(JsonNode message, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake; the reader then sees the server's close (a null from <see cref="ReceiveAsync"/>).</summary>
    public async Task CloseOutputAsync(CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next server event, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(memory, ct);
            }
            catch (WebSocketException e) when (!ct.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.ServerError, $"the connection to the gateway broke: {e.Message}", e);
            }
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (result.EndOfMessage) return JsonNode.Parse(buffer.WrittenSpan);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The session is over either way; the gateway ends it when the socket goes.
            }
        }
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
