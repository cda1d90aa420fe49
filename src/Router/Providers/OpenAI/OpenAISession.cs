using VoicePlatform.Contracts.Realtime;
using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.Audio;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// One upstream OpenAI Realtime connection. A reader loop relays server events to the sink (decoding audio deltas
/// to PCM); client events are written through one send lock. Buffers are pooled and reused per session.
/// </summary>
public sealed class OpenAISession : IProviderSession
{
    private const int UpstreamSampleRate = AudioFormat.RealtimePcmSampleRate;

    private readonly ClientWebSocket _socket;
    private readonly ISessionEventSink _sink;
    private readonly int _maxMessageBytes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _sessionCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reader;

    // Outgoing audio: resampled PCM, then the JSON event, both reused across frames.
    private readonly ArrayBufferWriter<byte> _outgoing = new(8 * 1024);
    private readonly Utf8JsonWriter _outgoingWriter;
    private byte[] _resampled = [];
    private AudioTranscoder? _inputTranscoder;

    // Incoming audio: decoded PCM, reused; ids cached so steady-state deltas allocate no strings.
    private byte[] _decoded = [];
    private readonly Utf8StringCache _responseIds = new();
    private readonly Utf8StringCache _itemIds = new();

    public OpenAISession(ClientWebSocket socket, ISessionEventSink sink, int maxMessageBytes, ILogger<OpenAISession> logger)
    {
        _socket = socket;
        _sink = sink;
        _maxMessageBytes = maxMessageBytes;
        _logger = logger;
        _outgoingWriter = new Utf8JsonWriter(_outgoing);
        _reader = Task.Run(ReadLoopAsync);
    }

    public Task Completion => _reader;

    public Task WaitForSessionCreatedAsync(CancellationToken cancellationToken) => _sessionCreated.Task.WaitAsync(cancellationToken);

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> audio = pcm16;
        if (sampleRate != UpstreamSampleRate)
        {
            if (_inputTranscoder is null || _inputTranscoder.Source.SampleRate != sampleRate)
                _inputTranscoder = new AudioTranscoder(AudioFormat.Pcm16(sampleRate), AudioFormat.Pcm16At24kHz);
            var max = _inputTranscoder.GetMaxOutputBytes(pcm16.Length);
            if (_resampled.Length < max) _resampled = new byte[Math.Max(max, _resampled.Length * 2)];
            var written = _inputTranscoder.Transcode(pcm16.Span, _resampled);
            audio = _resampled.AsMemory(0, written);
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _outgoing.ResetWrittenCount();
            _outgoingWriter.Reset(_outgoing);
            _outgoingWriter.WriteStartObject();
            _outgoingWriter.WriteString("type"u8, "input_audio_buffer.append"u8);
            if (eventId is not null) _outgoingWriter.WriteString("event_id"u8, eventId);
            _outgoingWriter.WriteBase64String("audio"u8, audio.Span);
            _outgoingWriter.WriteEndObject();
            _outgoingWriter.Flush();
            await _socket.SendAsync(_outgoing.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask SendEventAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= _maxMessageBytes)
                        {
                            await FailAsync("provider_message_too_large", $"The provider sent a message over {_maxMessageBytes} bytes.");
                            return;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _maxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), token);
                    length += result.Count;
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = (int?)_socket.CloseStatus ?? 1011;
                    var reason = _socket.CloseStatusDescription ?? "";
                    _logger.LogInformation("OpenAI closed the connection: {Status} {Reason}", status, reason);
                    if (!_sessionCreated.Task.IsCompleted)
                    {
                        _sessionCreated.TrySetException(new WebSocketException($"OpenAI closed the connection ({status} {reason}) before session.created."));
                        return;
                    }
                    await _sink.EndAsync(status, reason, CancellationToken.None);
                    return;
                }

                await HandleMessageAsync(buffer.AsMemory(0, length), token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed: the session ended on the client's side.
        }
        catch (Exception e) when (e is WebSocketException or IOException or JsonException)
        {
            _logger.LogWarning(e, "OpenAI connection failed");
            if (!_sessionCreated.TrySetException(e))
                await FailAsync("provider_connection_lost", "The connection to the model provider was lost.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask HandleMessageAsync(ReadOnlyMemory<byte> message, CancellationToken token)
    {
        var reader = new Utf8JsonReader(message.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Provider message is not a JSON object.");

        // One pass over the top-level properties; only audio deltas need their fields.
        var isAudioDelta = false;
        var isSessionCreated = false;
        var isError = false;
        string? responseId = null, itemId = null;
        int outputIndex = 0, contentIndex = 0;
        var deltaStart = -1;
        var deltaLength = 0;
        var deltaEscaped = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isAudioDelta = reader.ValueTextEquals("response.output_audio.delta"u8);
                isSessionCreated = reader.ValueTextEquals("session.created"u8);
                isError = reader.ValueTextEquals("error"u8);
                if (!isAudioDelta && !(isError && !_sessionCreated.Task.IsCompleted)) break;
            }
            else if (reader.ValueTextEquals("response_id"u8)) { reader.Read(); responseId = _responseIds.Get(ref reader); }
            else if (reader.ValueTextEquals("item_id"u8)) { reader.Read(); itemId = _itemIds.Get(ref reader); }
            else if (reader.ValueTextEquals("output_index"u8)) { reader.Read(); outputIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("content_index"u8)) { reader.Read(); contentIndex = reader.GetInt32(); }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                deltaStart = (int)reader.TokenStartIndex + 1;
                deltaLength = reader.ValueSpan.Length;
                deltaEscaped = reader.ValueIsEscaped;
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        if (isError && !_sessionCreated.Task.IsCompleted)
        {
            // Refused before the session existed (bad model, bad key...): report it as a connect failure.
            var error = JsonDocument.Parse(message).RootElement.GetProperty("error");
            _sessionCreated.TrySetException(new ProviderConnectException(
                error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "provider_error",
                error.TryGetProperty("message", out var text) ? text.GetString() ?? "" : "The provider refused the session."));
            return;
        }

        if (isAudioDelta && deltaStart >= 0 && responseId is not null && itemId is not null)
        {
            var encoded = message.Span.Slice(deltaStart, deltaLength);
            if (deltaEscaped)
            {
                // JSON allows "\/" inside base64; unescape before decoding (rare).
                var unescaped = JsonDocument.Parse(message).RootElement.GetProperty("delta").GetString()!;
                encoded = System.Text.Encoding.UTF8.GetBytes(unescaped);
            }
            var max = Base64.GetMaxDecodedFromUtf8Length(encoded.Length);
            if (_decoded.Length < max) _decoded = new byte[Math.Max(max, _decoded.Length * 2)];
            if (Base64.DecodeFromUtf8(encoded, _decoded, out _, out var written) != OperationStatus.Done)
                throw new JsonException("Provider audio delta is not valid base64.");
            await _sink.AudioDeltaAsync(new OutputAudioRef(responseId, itemId, outputIndex, contentIndex),
                _decoded.AsMemory(0, written), UpstreamSampleRate, token);
            return;
        }

        await _sink.EventAsync(message, token);
        if (isSessionCreated) _sessionCreated.TrySetResult();
    }

    private async ValueTask FailAsync(string code, string message)
    {
        await _sink.EventAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, code, message).ToJson(), CancellationToken.None);
        await _sink.EndAsync(1011, code, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session ended", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // Already gone; nothing to close.
            }
        }
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        _socket.Dispose();
        _outgoingWriter.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
