using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// The sending side of one connection: server messages as JSON in binary frames, errors as close frames. Only the
/// connection's event loop calls it, so the one reusable buffer needs no lock.
/// </summary>
internal sealed class LiveSender
{
    public static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly GeminiEmulatorOptions _options;
    private readonly bool _faulted;
    private readonly string _connectionId;
    private readonly ILogger _logger;
    private readonly Action _beforeClose;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _writer;
    private int _sentMessages;

    /// <param name="beforeClose">Runs once the connection is closed for good, before the close frame goes out.</param>
    public LiveSender(WebSocket socket, GeminiEmulatorOptions options, bool faulted, string connectionId, ILogger logger, Action beforeClose)
    {
        _socket = socket;
        _options = options;
        _faulted = faulted;
        _connectionId = connectionId;
        _logger = logger;
        _beforeClose = beforeClose;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public CancellationToken Aborted { get; set; }

    public bool Closed { get; private set; }

    /// <summary>Set after goAway when GeminiEmulator:GoAwaySilence is on: nothing more is sent.</summary>
    public bool Silenced { get; set; }

    public void MarkClosed() => Closed = true;

    public Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>Server messages are JSON in binary frames, as on the real service.</summary>
    public async ValueTask SendAsync()
    {
        _writer.Flush();
        if (Closed || Silenced)
        {
            return;
        }

        try
        {
            await _socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, Aborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Closed = true;
            return;
        }

        _sentMessages++;
        if (_faulted && _options.Faults.CloseAfterMessages > 0 && _sentMessages >= _options.Faults.CloseAfterMessages)
        {
            await CloseAsync(new CloseDirective(_options.Faults.CloseCode, _options.Faults.CloseReason));
        }
    }

    /// <summary>Breaks the connection without a close frame (the <c>drop</c> fault).</summary>
    public void Drop()
    {
        Closed = true;
        _beforeClose();
        _socket.Abort();
    }

    /// <summary>Errors are close frames with a code and reason, never JSON error events.</summary>
    public async Task CloseAsync(CloseDirective close)
    {
        if (Closed)
        {
            return;
        }

        Closed = true;
        _beforeClose();
        _logger.LogDebug("Connection {Id} closing {Code} {Reason}", _connectionId, close.Code, close.Reason);
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.TruncatedReason, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Close of {Id} failed: {Message}", _connectionId, ex.Message);
        }
    }
}
