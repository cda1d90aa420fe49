using System.Text.Json;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// Measures one client connection the way the caller experienced it, on the session timeline (milliseconds since the
/// client's socket opened): per response the latency from the end of the user's turn to the first audio written to the
/// client, playback (laid out at real-time pace, as the call recording lays it out), barge-ins and stalls; per session
/// the totals, client tool calls and continuity events. It only observes what the session relays (both of the
/// session's loops call it, so it serialises them with a lock: a few cheap calls per message) and hands finished facts
/// to <see cref="IQualityEventSink"/> as contract events.
/// </summary>
public sealed class SessionQualityMeter
{
    private readonly Lock _gate = new();
    private readonly Guid _tenantId;
    private readonly string _sessionId;
    private readonly string _connectionId;
    private readonly TimeProvider _clock;
    private readonly long _opened;
    private readonly DateTimeOffset _openedAt;
    private readonly IQualityEventSink _sink;
    private readonly QualityMetrics _metrics;
    private readonly Dictionary<string, ResponseMeasure> _open = new(StringComparer.Ordinal); // created, not yet settled
    private readonly Dictionary<string, (string Name, double RequestedAt)> _toolCalls = new(StringComparer.Ordinal);
    private readonly UserSpeechClock _speech = new();
    private QualityDimensions _dimensions;
    private PendingTurn? _pending;
    private ResponseMeasure? _playing; // the response whose audio was queued last
    private double _queuedUntil;        // when the audio queued so far stops playing
    private bool _speechUncommitted;
    private double _audioInMs;
    private double _audioOutMs;
    private int _turns, _interruptions, _falseInterruptions, _cancelled, _framesDropped, _rejected;
    private string? _endReason;
    private bool _completed;

    public SessionQualityMeter(Guid tenantId, string sessionId, QualityDimensions dimensions, TimeProvider clock, long openedTimestamp,
        IQualityEventSink sink, QualityMetrics metrics)
    {
        _tenantId = tenantId;
        _sessionId = sessionId;
        _connectionId = Guid.NewGuid().ToString("N");
        _dimensions = dimensions;
        _clock = clock;
        _opened = openedTimestamp;
        _openedAt = clock.GetUtcNow() - clock.GetElapsedTime(openedTimestamp);
        _sink = sink;
        _metrics = metrics;
    }

    /// <summary>How the session is routed, as far as this connection knows.</summary>
    public QualityDimensions Dimensions
    {
        get
        {
            lock (_gate) return _dimensions;
        }
    }

    /// <summary>Milliseconds since the client's socket opened.</summary>
    public double Now => _clock.GetElapsedTime(_opened).TotalMilliseconds;

    /// <summary>session.created's <c>routing</c> extension said how the session was routed.</summary>
    public void Routed(QualityDimensions dimensions, IEnumerable<(string Model, string Reason)> passedOver)
    {
        lock (_gate)
        {
            _dimensions = dimensions;
            foreach (var (model, reason) in passedOver)
                Continuity("connect_fallback", Now, 0, $"{model}: {reason}", $"fallback:{model}");
        }
    }

    // ---- what the client sent, as forwarded (client loop) ----

    /// <summary>Input audio forwarded at <paramref name="forwardedAt"/> (session time), the instant the recording places it at too.</summary>
    public void ClientAudio(int pcmBytes, int sampleRate, TimeSpan forwardedAt)
    {
        var duration = AudioMs(pcmBytes, sampleRate);
        lock (_gate)
        {
            _audioInMs += duration;
            _speech.Forwarded(forwardedAt.TotalMilliseconds, duration);
        }
    }

    public void ClientEvent(string? type, ReadOnlySpan<byte> json)
    {
        switch (type)
        {
            case "input_audio_buffer.commit":
                lock (_gate) _pending ??= new PendingTurn("commit", Now);
                break;
            case "response.create":
                lock (_gate) _pending ??= new PendingTurn("response_create", Now);
                break;
            case "conversation.item.truncate":
                Truncated(json);
                break;
            case "conversation.item.create":
                FunctionCallOutput(json);
                break;
        }
    }

    /// <summary>A client message answered with an error event instead of being forwarded.</summary>
    public void ClientMessageRejected()
    {
        lock (_gate) _rejected++;
    }

    /// <summary>Client audio dropped because the session's input buffer stayed full.</summary>
    public void InputFrameDropped()
    {
        lock (_gate) _framesDropped++;
    }

    // ---- what the client was sent (Router loop) ----

    /// <summary>An event is about to be written to the client's socket (called as the write starts).</summary>
    public void ServerEvent(string? type, ReadOnlySpan<byte> json)
    {
        switch (type)
        {
            case "session.created" or "session.updated":
                using (var document = Parse(json))
                    if (document?.RootElement.TryGetProperty("session", out var session) == true)
                        lock (_gate) _speech.Configured(session);
                break;
            case "input_audio_buffer.speech_started":
                using (var document = Parse(json))
                    lock (_gate)
                    {
                        SpeechStarted();
                        if (document is not null) _speech.SpeechStarted(document.RootElement);
                    }
                break;
            case "input_audio_buffer.speech_stopped":
                using (var document = Parse(json))
                    lock (_gate)
                    {
                        var now = Now;
                        _pending = new PendingTurn("server_vad", now, document is null ? null : _speech.SpeechStopped(document.RootElement, now));
                    }
                break;
            case "input_audio_buffer.committed":
                lock (_gate) _speechUncommitted = false;
                break;
            case "response.created":
                if (ReadString(json, "response", "id") is { } created)
                    lock (_gate) ResponseCreated(created);
                break;
            case "response.output_audio_transcript.delta" or "response.output_text.delta":
                // Deltas are frequent: only read one while some response still waits for its first text.
                if (WaitsForText() && ReadString(json, "response_id") is { } texting)
                    lock (_gate) if (_open.TryGetValue(texting, out var response)) response.Text(Now);
                break;
            case "response.done":
                ResponseDone(json);
                break;
        }
    }

    /// <summary>
    /// An audio chunk is about to be written to the client's socket; <paramref name="sentAt"/> is when the write starts
    /// (session time), the instant the recording places the chunk at too.
    /// </summary>
    public void OutputAudio(string responseId, string itemId, int pcmBytes, int sampleRate, TimeSpan sentAt)
    {
        var duration = AudioMs(pcmBytes, sampleRate);
        lock (_gate)
        {
            var now = sentAt.TotalMilliseconds;
            if (!_open.TryGetValue(responseId, out var response))
            {
                // Audio of a response this connection did not see created (it was created before a resume): measure it anyway.
                response = new ResponseMeasure(responseId, null);
                _open[responseId] = response;
            }
            var playsFrom = Math.Max(now, _queuedUntil);
            var firstAudio = response.FirstAudioAt is null;
            response.Audio(itemId, now, playsFrom, duration, _queuedUntil);
            _queuedUntil = playsFrom + duration;
            _audioOutMs += duration;
            _playing = response;
            if (firstAudio && response.Turn is not null && ReferenceEquals(_pending, response.Turn)) _pending = null; // answered
        }
    }

    // ---- continuity (both loops) ----

    /// <summary>The session moved to another Router; audio flowed again <paramref name="sinceBreak"/> after the old stream broke.</summary>
    public void RouterFailover(TimeSpan sinceBreak)
    {
        lock (_gate) _speech.ProviderClockLost();
        lock (_gate) Continuity("router_failover", Now - sinceBreak.TotalMilliseconds, (long)sinceBreak.TotalMilliseconds, null, $"failover:{Now:0}");
    }

    /// <summary>This connection resumed the session after the client was away for <paramref name="away"/> (when known).</summary>
    public void ClientResumed(TimeSpan? away)
    {
        lock (_gate) Continuity("client_resume", 0, (long)(away?.TotalMilliseconds ?? 0), null, "resume");
    }

    /// <summary>Why this connection ends, in the Gateway's words; the first reason given wins.</summary>
    public void Ending(string reason)
    {
        lock (_gate) _endReason ??= reason;
    }

    /// <summary>The connection is over: settle every response and tool call and report the connection's totals.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            foreach (var response in _open.Values.ToList()) Settle(response);
            foreach (var (callId, call) in _toolCalls) ToolCall(callId, call.Name, "unanswered", Now - call.RequestedAt);
            _toolCalls.Clear();
            if (_speechUncommitted) _falseInterruptions++;
            var duration = (long)Now;
            _sink.Publish(new SessionMeasured(EventIds.For(_sessionId, "quality", _connectionId), _tenantId, _sessionId, _connectionId,
                _dimensions, _openedAt, duration, _turns, ResponseMeasure.Ms(_audioInMs), ResponseMeasure.Ms(_audioOutMs), _interruptions,
                _falseInterruptions, _cancelled, _framesDropped, _rejected, _endReason ?? "client_closed"));
            _metrics.SessionMeasured(_dimensions, duration, _endReason ?? "client_closed");
        }
    }

    private bool WaitsForText()
    {
        lock (_gate)
        {
            foreach (var response in _open.Values)
                if (response.FirstTextAt is null) return true;
            return false;
        }
    }

    private void SpeechStarted()
    {
        var now = Now;
        if (_speechUncommitted) _falseInterruptions++; // the previous speech start never became a turn
        _speechUncommitted = true;
        if (_playing is { } playing && _queuedUntil > now && !playing.Interrupted)
        {
            playing.BargeIn(now);
            _interruptions++;
        }
    }

    private void ResponseCreated(string responseId)
    {
        // A new response: responses that are done are settled now (a barge-in on one comes before the next response).
        foreach (var done in _open.Values.Where(r => r.Status is not null).ToList()) Settle(done);
        _open[responseId] = new ResponseMeasure(responseId, _pending);
    }

    private void ResponseDone(ReadOnlySpan<byte> json)
    {
        using var document = Parse(json);
        if (document?.RootElement.TryGetProperty("response", out var response) != true || response.ValueKind != JsonValueKind.Object) return;
        var id = response.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : null;
        var status = response.TryGetProperty("status", out var statusElement) && statusElement.ValueKind == JsonValueKind.String ? statusElement.GetString()! : "completed";
        lock (_gate)
        {
            var now = Now;
            if (id is not null && _open.TryGetValue(id, out var measure)) measure.Status = status;
            if (status == "cancelled") _cancelled++;
            if (!response.TryGetProperty("output", out var output) || output.ValueKind != JsonValueKind.Array) return;
            foreach (var item in output.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var itemType) && itemType.ValueEquals("function_call")
                    && item.TryGetProperty("call_id", out var callId) && callId.ValueKind == JsonValueKind.String)
                {
                    var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                    _toolCalls.TryAdd(callId.GetString()!, (name, now));
                }
            }
        }
    }

    private void Truncated(ReadOnlySpan<byte> json)
    {
        using var document = Parse(json);
        if (document is null) return;
        var root = document.RootElement;
        if (!root.TryGetProperty("item_id", out var item) || item.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("audio_end_ms", out var end) || !end.TryGetDouble(out var audioEndMs)) return;
        var itemId = item.GetString()!;
        lock (_gate)
        {
            var response = _open.Values.LastOrDefault(r => r.HasItem(itemId));
            if (response?.Truncate(itemId, audioEndMs) is { } cut && ReferenceEquals(response, _playing) && cut < _queuedUntil)
                _queuedUntil = Math.Max(cut, Math.Min(Now, _queuedUntil)); // later audio queues from where playback stopped
        }
    }

    private void FunctionCallOutput(ReadOnlySpan<byte> json)
    {
        using var document = Parse(json);
        if (document?.RootElement.TryGetProperty("item", out var item) != true || item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("type", out var type) || !type.ValueEquals("function_call_output")
            || !item.TryGetProperty("call_id", out var callId) || callId.ValueKind != JsonValueKind.String) return;
        lock (_gate)
        {
            if (_toolCalls.Remove(callId.GetString()!, out var call)) ToolCall(callId.GetString()!, call.Name, "ok", Now - call.RequestedAt);
        }
    }

    private void Settle(ResponseMeasure response)
    {
        _open.Remove(response.ResponseId);
        _turns++;
        var turn = new TurnMeasured(EventIds.For(_sessionId, "turn", response.ResponseId), _tenantId, _sessionId, _dimensions,
            response.ResponseId, _openedAt.AddMilliseconds(response.Turn?.AtMs ?? response.FirstAudioAt ?? Now),
            response.Turn?.Trigger ?? "none", response.Turn is { } t ? ResponseMeasure.Ms(t.AtMs) : null,
            response.ResponseLatencyMs, response.FirstTextLatencyMs, response.Status ?? "incomplete", ResponseMeasure.Ms(response.AudioOutMs),
            response.Interrupted, response.InterruptedAfterMs is { } after ? ResponseMeasure.Ms(after) : null,
            ResponseMeasure.Ms(response.MaxStallMs), response.Items, _openedAt, response.Turn?.UserSpeech);
        _sink.Publish(turn);
        _metrics.TurnMeasured(_dimensions, turn);
    }

    private void ToolCall(string callId, string name, string outcome, double latencyMs)
    {
        var measured = new ToolCallMeasured(EventIds.For(_sessionId, "tool", callId), _tenantId, _sessionId, _dimensions, callId, name, outcome,
            ResponseMeasure.Ms(latencyMs), _clock.GetUtcNow());
        _sink.Publish(measured);
        if (outcome == "ok") _metrics.ClientToolCall(_dimensions, measured.LatencyMs);
    }

    private void Continuity(string kind, double atMs, long durationMs, string? detail, string discriminator)
    {
        _sink.Publish(new ContinuityEventRecorded(EventIds.For(_sessionId, "continuity", _connectionId, discriminator), _tenantId, _sessionId,
            kind, _clock.GetUtcNow(), ResponseMeasure.Ms(atMs), durationMs, detail));
        _metrics.Continuity(_dimensions, kind, durationMs);
    }

    private static double AudioMs(int pcmBytes, int sampleRate) => sampleRate <= 0 ? 0 : pcmBytes / 2 * 1000.0 / sampleRate;

    private static JsonDocument? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null; // measuring never breaks a session
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> json, string property, string? nested = null)
    {
        using var document = Parse(json);
        if (document is null || !document.RootElement.TryGetProperty(property, out var value)) return null;
        if (nested is not null && (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(nested, out value))) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
