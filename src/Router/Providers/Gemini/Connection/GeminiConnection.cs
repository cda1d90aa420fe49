using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// One WebSocket to Gemini Live: connect + setup handshake, serialized sends (one writer at a time), and a reader
/// loop that hands each complete server message (JSON in a binary or text frame) to the owner. Counts client
/// messages the way Gemini indexes them for transparent resumption (setup = 0).
/// </summary>
internal sealed class GeminiConnection : IAsyncDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>WebSocket "message too big": the close this side reports for a server message over the cap.</summary>
    private const int MessageTooBig = 1009;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ProviderMessageReader _reader;
    private readonly int _maxMessageBytes;
    private Task _readLoop = Task.CompletedTask;
    private int _disposed;

    private GeminiConnection(int number, ILogger logger, TimeProvider time, int maxMessageBytes)
    {
        Number = number;
        _maxMessageBytes = maxMessageBytes;
        _reader = new ProviderMessageReader(_socket, maxMessageBytes);
        _logger = logger;
        _time = time;
        _socket.Options.CollectHttpResponseDetails = true;
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
    }

    /// <summary>Connection number within the provider session (1 = first; reconnects count up). For logs.</summary>
    public int Number { get; }

    /// <summary>Index the next client message gets (setup was 0).</summary>
    public long NextMessageIndex { get; private set; }

    /// <summary>Set when the owner closes the connection on purpose (rollover, dispose); its close is then not an error.</summary>
    public bool Retired { get; private set; }

    /// <summary>
    /// Opens the socket, sends <paramref name="setup"/> and waits for <c>setupComplete</c>.
    /// Throws <see cref="Sessions.ProviderConnectException"/> on refusal or timeout.
    /// </summary>
    public static async Task<GeminiConnection> OpenAsync(
        GeminiEndpoint endpoint, ReadOnlyMemory<byte> setup, GeminiProviderOptions options, int number, ILogger logger, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var connection = new GeminiConnection(number, logger, time, options.MaxMessageBytes);
        try
        {
            await connection.HandshakeAsync(endpoint, setup, options, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(GeminiEndpoint endpoint, ReadOnlyMemory<byte> setup, GeminiProviderOptions options, CancellationToken cancellationToken)
    {
        await endpoint.AuthorizeAsync(_socket.Options, cancellationToken);
        using (var connectExpiry = new CancellationTokenSource(options.ConnectTimeout, _time))
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectExpiry.Token))
        {
            try
            {
                await _socket.ConnectAsync(endpoint.Uri, connectTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new Sessions.ProviderConnectException("provider_unavailable",
                    $"Gemini Live did not accept the connection within {options.ConnectTimeout.TotalSeconds:0.#} s.");
            }
            catch (WebSocketException ex)
            {
                var status = _socket.HttpStatusCode;
                var code = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? "invalid_api_key" : "provider_unavailable";
                throw new Sessions.ProviderConnectException(code,
                    status == 0 ? $"Gemini Live is unreachable: {ex.Message}" : $"Gemini Live refused the upgrade with HTTP {(int)status}.", ex);
            }
        }

        using var setupExpiry = new CancellationTokenSource(options.SetupTimeout, _time);
        using var setupTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, setupExpiry.Token);
        try
        {
            await SendAsync(setup, setupTimeout.Token);
            var (message, close) = await ReceiveMessageAsync(setupTimeout.Token);
            if (close is { } closed)
            {
                throw closed.ToConnectException(new UpstreamClosedException(closed));
            }

            if (!IsSetupComplete(message.Span))
            {
                throw new Sessions.ProviderConnectException("provider_unavailable",
                    "Gemini Live sent something other than setupComplete as its first message.");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Sessions.ProviderConnectException("provider_unavailable",
                $"Gemini Live did not complete the setup within {options.SetupTimeout.TotalSeconds:0.#} s.");
        }
        catch (WebSocketException ex)
        {
            throw new Sessions.ProviderConnectException("provider_unavailable", $"Gemini Live dropped the connection during setup: {ex.Message}", ex);
        }
    }

    private static bool IsSetupComplete(ReadOnlySpan<byte> json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("setupComplete"u8))
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// Starts the reader loop: <paramref name="onMessage"/> gets each message (the memory is valid only during the call),
    /// <paramref name="onClosed"/> runs once when the socket ends, unless the connection was retired.
    /// </summary>
    public void StartReading(Func<GeminiConnection, ReadOnlyMemory<byte>, ValueTask> onMessage, Func<GeminiConnection, UpstreamClose, ValueTask> onClosed)
    {
        _readLoop = Task.Run(() => ReadLoopAsync(onMessage, onClosed));
    }

    private async Task ReadLoopAsync(Func<GeminiConnection, ReadOnlyMemory<byte>, ValueTask> onMessage, Func<GeminiConnection, UpstreamClose, ValueTask> onClosed)
    {
        UpstreamClose close;
        try
        {
            while (true)
            {
                var (message, closed) = await ReceiveMessageAsync(_stop.Token);
                if (closed is { } c)
                {
                    close = c;
                    break;
                }

                await onMessage(this, message);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            close = new UpstreamClose(UpstreamClose.Abnormal, $"connection lost: {ex.Message}");
        }
        catch (Exception ex)
        {
            // A bug in message handling: end the session loudly rather than leave it hanging.
            _logger.LogError(ex, "Gemini connection #{Number}: handling a server message failed", Number);
            close = new UpstreamClose(1011, "internal router error");
        }

        if (!Retired)
        {
            await onClosed(this, close);
        }
    }

    /// <summary>Receives one whole message (valid until the next receive), or how the connection ended.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(ReadOnlyMemory<byte> Message, UpstreamClose? Close)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var message = await _reader.ReadAsync(cancellationToken);
        switch (message.Kind)
        {
            case ProviderMessageKind.Message:
                return (message.Data, null);
            case ProviderMessageKind.TooLarge:
                _logger.LogWarning("Gemini connection #{Number}: the server sent a message over {Max} bytes; dropping the connection", Number, _maxMessageBytes);
                return (default, new UpstreamClose(MessageTooBig, $"server message over {_maxMessageBytes} bytes"));
            default:
                var code = (int?)_socket.CloseStatus ?? 1005;
                var reason = _socket.CloseStatusDescription ?? string.Empty;
                _logger.LogInformation("Gemini connection #{Number} closed by the server: {Code} {Reason}", Number, code, reason);
                await AnswerCloseAsync();
                return (default, new UpstreamClose(code, reason));
        }
    }

    private async Task AnswerCloseAsync()
    {
        try
        {
            await _sendLock.WaitAsync(CancellationToken.None);
            try
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, _time);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Gemini connection #{Number}: answering the close failed: {Message}", Number, ex.Message);
        }
    }

    /// <summary>Sends one client message as a text frame. One writer at a time.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            NextMessageIndex++;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes on purpose (1000) and waits for the server's close, so a resume right after is accepted.</summary>
    public async Task RetireAsync(string reason)
    {
        Retired = true;
        _logger.LogInformation("Gemini connection #{Number}: closing ({Reason})", Number, reason);
        try
        {
            await _sendLock.WaitAsync(CancellationToken.None);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(CloseHandshakeTimeout, _time);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            // The reader loop sees the server's close frame and ends.
            if (await Task.WhenAny(_readLoop, Task.Delay(CloseHandshakeTimeout, _time)) != _readLoop)
            {
                _logger.LogWarning("Gemini connection #{Number}: no close reply within {Seconds} s; aborting", Number, CloseHandshakeTimeout.TotalSeconds);
                _socket.Abort();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Gemini connection #{Number}: close failed: {Message}", Number, ex.Message);
            _socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Retired = true;
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _readLoop;
        }
        catch (Exception ex)
        {
            _logger.LogDebug("Gemini connection #{Number}: reader ended with {Message}", Number, ex.Message);
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
        _reader.Dispose();
    }
}
