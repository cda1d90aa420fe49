using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Auth;
using VoicePlatform.Emulators.OpenAIRealtime.Configuration;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;
using VoicePlatform.Emulators.OpenAIRealtime.Recording;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;
using VoicePlatform.Emulators.OpenAIRealtime.Transport;
using VoicePlatform.Emulators.OpenAIRealtime.Xai;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// One WebSocket connection = one Realtime session. Client events are handled one at a time under
/// <see cref="Gate"/>; everything that emits server events (paced responses, timers, faults) takes the same
/// gate, so the event order on the wire is always a valid protocol order.
/// This class keeps the loop and dispatch; session.update and the opening events (<see cref="SessionConfigRequests"/>),
/// the input audio buffer (<see cref="InputAudio"/>), item requests (<see cref="ConversationItemRequests"/>), responses
/// (<see cref="ResponseScheduler"/>), server-initiated endings (<see cref="SessionCloser"/>) and xAI's idle timer
/// (<see cref="XaiIdleTimer"/>) are parts it owns, run on its loop.
/// </summary>
internal sealed class RealtimeSession
{
    private static readonly string[] ClientEventTypes =
    [
        "session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
        "conversation.item.create", "conversation.item.retrieve", "conversation.item.truncate", "conversation.item.delete",
        "response.create", "response.cancel", "output_audio_buffer.clear",
    ];

    private readonly WebSocket _ws;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _abort;
    private readonly WebSocketMessageReader _reader = new();
    private readonly DateTimeOffset _startedAt;
    private readonly InputAudioRecorder _recorder;
    private readonly InputTranscriber _transcriber;
    private readonly InputAudio _input;
    private readonly SessionBackgroundTasks _background = new();
    private readonly SessionCloser _closer;
    private readonly SessionConfigRequests _sessionRequests;

    public RealtimeSession(WebSocket ws, OpenAIEmulatorOptions options, SessionOpening opening,
        InputAudioRecorder recorder, TimeProvider time, ILogger log)
    {
        Variant = opening.Variant;
        _ws = ws;
        Time = time;
        _startedAt = time.GetUtcNow(); // expires_at and the session cap run on the same clock
        _log = log;
        _recorder = recorder;
        Options = options;
        _abort = new CancellationTokenSource();
        Writer = new EventWriter(Ids);
        Conversation = new ConversationState(Ids.Next("conv"));

        SessionCap = Variant switch
        {
            ProviderVariant.Azure => options.Azure.SessionMaxDuration,
            ProviderVariant.Xai => options.Xai.SessionMaxDuration,
            _ => options.SessionMaxDuration,
        };
        Config = new SessionConfig
        {
            Id = Ids.Next("sess"),
            ExpiresAt = _startedAt.Add(SessionCap).ToUnixTimeSeconds(),
        };
        if (Variant == ProviderVariant.Xai)
        {
            Config.Model = XaiSessionParser.DefaultModel;
            Config.Voice = System.Text.Json.Nodes.JsonValue.Create(XaiSessionParser.DefaultVoice);
        }
        if (opening.Secret?.SessionJson is { } sessionJson)
        {
            // Validated when the secret was minted; applying it again cannot fail.
            using var doc = JsonDocument.Parse(sessionJson);
            SessionConfigParser.Apply(doc.RootElement, Config, new SessionConfigParser.UpdateContext(false));
        }
        if (!string.IsNullOrEmpty(opening.Model))
        {
            Config.Model = opening.Model;
        }
        Config.ServedModel = opening.ServedModel;
        _closer = new SessionCloser(this, ws, _background);
        Items = new ConversationItemRequests(this);
        _transcriber = new InputTranscriber(this);
        _input = new InputAudio(this, _transcriber);
        IdleTimer = new XaiIdleTimer(this, _input, _background);
        Responses = new ResponseScheduler(this, _transcriber, _input, _background);
        _sessionRequests = new SessionConfigRequests(this, _input);
    }

    public OpenAIEmulatorOptions Options { get; }
    public ProviderVariant Variant { get; }
    /// <summary>The session cap of this variant (GA 60 min, Azure and xAI 30 min by default); zero = none.</summary>
    public TimeSpan SessionCap { get; }
    public TimeProvider Time { get; }
    public IdGenerator Ids { get; } = new();
    public EventWriter Writer { get; }
    public SemaphoreSlim Gate { get; } = new(1, 1);
    public CancellationToken Aborted => _abort.Token;
    public bool IsClosing => _closer.IsClosing;
    public SessionConfig Config { get; private set; }
    public ConversationState Conversation { get; }
    public ActiveResponse? Active => Responses.Active;
    public ResponseScheduler Responses { get; }
    public ConversationItemRequests Items { get; }
    public XaiIdleTimer IdleTimer { get; }
    /// <summary>The input audio record of this session (Record options), null when off or before session.created.</summary>
    public InputAudioRecord? InputRecord { get; private set; }

    /// <summary>Models named *-loopback echo input audio straight back (latency benchmarks).</summary>
    public bool Loopback => Config.Model.EndsWith("-loopback", StringComparison.Ordinal);

    /// <summary>Sends the event built in <see cref="Writer"/>. Callers hold the gate.</summary>
    public async ValueTask SendAsync()
    {
        var data = Writer.Finish();
        await _ws.SendAsync(data, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
    }

    /// <summary>session.update (<see cref="SessionConfigRequests"/>) swaps in the validated copy whole.</summary>
    public void ReplaceConfig(SessionConfig updated) => Config = updated;

    public void MarkAssistantAudio() => _sessionRequests.MarkAssistantAudio();

    /// <summary>A user message named a fault (Faults:TextTriggers); the loop acts on it after the message is handled.</summary>
    public void TriggerFaultAfterMessage(string fault) => _closer.TriggerAfterMessage(fault);

    /// <summary>Host shutdown: say goodbye like a real server going away instead of dropping the TCP connection.</summary>
    public void OnHostStopping() => _closer.OnHostStopping();

    public async Task RunAsync(bool betaHeader)
    {
        try
        {
            if (betaHeader)
            {
                // Beta shutdown behaviour (protocol §1): error event, then close 4000.
                await _closer.CloseAsync(new RealtimeError(RealtimeError.InvalidRequest, "beta_api_shape_disabled",
                    "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", null),
                    4000, "invalid_request_error.beta_api_shape_disabled");
            }
            else
            {
                // Refused beta clients never had a session; everyone else is recorded from session.created on.
                InputRecord = _recorder.Start(Config.Id, _startedAt, Config.InputFormat.SampleRate);
                await Gate.WaitAsync(_abort.Token);
                try
                {
                    // Timers start before the first event, so a client (or a test's fake clock) that acts on
                    // session.created finds them running.
                    _closer.StartTimers();
                    await _sessionRequests.EmitOpeningAsync();
                }
                finally
                {
                    Gate.Release();
                }
            }
            await ReceiveLoopAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // The client vanished without a close frame; nothing left to tell it.
            _log.LogDebug(ex, "Session {SessionId} socket failed", Config.Id);
        }
        finally
        {
            InputRecord?.End();
            IdleTimer.Dispose();
            await _abort.CancelAsync();
            await _background.WaitAsync();
            _reader.Dispose();
            _input.Dispose();
            Writer.Dispose();
            _abort.Dispose();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (_ws.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var message = await _reader.ReadAsync(_ws, Options.MaxMessageBytes, _abort.Token);
            if (message.Type == WebSocketMessageType.Close)
            {
                if (_ws.State == WebSocketState.CloseReceived)
                {
                    await _closer.AnswerClientCloseAsync();
                }
                return;
            }
            if (IsClosing)
            {
                continue; // we already said goodbye; drain until the client's close frame
            }
            if (message.TooBig)
            {
                await _closer.CloseAsync(null, (int)WebSocketCloseStatus.MessageTooBig, "Message too big");
                continue;
            }

            await Gate.WaitAsync(_abort.Token);
            try
            {
                if (!IsClosing)
                {
                    if (message.Type == WebSocketMessageType.Binary)
                    {
                        await SendErrorAsync(new RealtimeError(RealtimeError.InvalidRequest, "invalid_value",
                            "Binary frames are not supported; send JSON events as text frames.", null), null);
                    }
                    else
                    {
                        await HandleMessageAsync(_reader.Data(message.Length));
                    }
                }
            }
            finally
            {
                Gate.Release();
            }

            await _closer.AfterMessageAsync();
        }
    }

    private async ValueTask HandleMessageAsync(ReadOnlyMemory<byte> data)
    {
        // Hot path: a well-formed append is handled from the raw bytes, without building a DOM.
        if (AppendScanner.TryScan(data.Span, out var append))
        {
            await _input.AppendAsync(data.Slice(append.AudioStart, append.AudioLength), append.EventId);
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            await SendErrorAsync(new RealtimeError(RealtimeError.InvalidRequest, "invalid_json",
                $"We could not parse the JSON body of your request. ({ex.Message})", null), null);
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await SendErrorAsync(RealtimeError.InvalidType("event", "an object", root), null);
                return;
            }
            string? eventId = null;
            if (root.TryGetProperty("event_id", out var eventIdEl) && eventIdEl.ValueKind != JsonValueKind.Null)
            {
                if (eventIdEl.ValueKind != JsonValueKind.String)
                {
                    await SendErrorAsync(RealtimeError.InvalidType("event_id", "a string", eventIdEl), null);
                    return;
                }
                eventId = eventIdEl.GetString();
            }
            if (!root.TryGetProperty("type", out var typeEl))
            {
                await SendErrorAsync(RealtimeError.Missing("type"), eventId);
                return;
            }
            if (JsonRead.Enum(typeEl, "type", ClientEventTypes, out var type) is { } typeError)
            {
                await SendErrorAsync(typeError, eventId);
                return;
            }

            var error = type switch
            {
                "session.update" => await _sessionRequests.UpdateAsync(root),
                "input_audio_buffer.append" => await _input.AppendFromJsonAsync(root, eventId),
                "input_audio_buffer.commit" => await _input.CommitAsync(root),
                "input_audio_buffer.clear" => await _input.ClearAsync(root),
                "conversation.item.create" => await Items.CreateAsync(root),
                "conversation.item.retrieve" => await Items.RetrieveAsync(root),
                "conversation.item.truncate" => await Items.TruncateAsync(root),
                "conversation.item.delete" => await Items.DeleteAsync(root),
                "response.create" => await Responses.CreateAsync(root),
                "response.cancel" => await Responses.CancelAsync(root),
                _ => OutputAudioBufferClear(root),
            };
            if (error is not null)
            {
                await SendErrorAsync(error, eventId);
            }
        }
    }

    /// <summary>WebRTC/SIP only (protocol §4); over a WebSocket the server has no output buffer to clear.</summary>
    private static RealtimeError? OutputAudioBufferClear(JsonElement root) =>
        JsonRead.OnlyKnown(root, "", "type", "event_id", "response_id")
        ?? new RealtimeError(RealtimeError.InvalidRequest, "invalid_value",
            "output_audio_buffer.clear is only supported for WebRTC and SIP connections.", "type");

    public async ValueTask SendErrorAsync(RealtimeError error, string? clientEventId)
    {
        var w = Writer.Start("error"u8);
        w.WriteStartObject("error"u8);
        error.WriteFields(w);
        if (clientEventId is null) w.WriteNull("event_id"u8); else w.WriteString("event_id"u8, clientEventId);
        w.WriteEndObject();
        await SendAsync();
    }
}
