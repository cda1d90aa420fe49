using System.Text.Json;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Events;

/// <summary>
/// Sits in a session's sink chain just before the Gateway and turns the canonical server events the client gets into
/// the session's contract events (transcript segments, usage), queued on the <see cref="EventSpool"/>. It only reads:
/// every event passes on unchanged, audio deltas only start the response's clock. Offsets are on the session's
/// timeline (milliseconds since the session was created, across re-attaches).
/// </summary>
public sealed class SessionEventRecorder : ISessionEventSink
{
    private readonly ISessionEventSink _inner;
    private readonly EventSpool _spool;
    private SessionEventContext _context; // its model is settled when the session starts (a connect may fall back)
    private readonly TimeProvider _time;
    private readonly long _attachedAt;
    private readonly Lock _lock = new();
    // Per user item: session time at speech_started, and the speech's audio span (audio_start_ms/audio_end_ms are on
    // the input buffer's timeline, not the session's, so only their difference is used).
    private readonly Dictionary<string, (long SessionStart, long? AudioStart, long? AudioEnd)> _speech = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResponseTranscript> _responses = new(StringComparer.Ordinal);
    // Per spoken user item without speech events (manual turns): session time when it joined the conversation, since
    // its words arrive later, often after the answer started. Bounded: items whose transcription never comes age out.
    private readonly Dictionary<string, long> _userAudioItems = new(StringComparer.Ordinal);
    private const int MaxPendingUserAudioItems = 64;
    private long _lastUsageAt;
    private List<Task>? _storing; // records queued by the event being observed (under _lock)
    private ResponseAttempt? _attempt; // set once the lease is held; without continuity records name no attempt

    public SessionEventRecorder(ISessionEventSink inner, EventSpool spool, SessionEventContext context, TimeProvider? time = null)
    {
        _inner = inner;
        _spool = spool;
        _context = context;
        _time = time ?? TimeProvider.System;
        _attachedAt = _time.GetTimestamp();
        _lastUsageAt = _attachedAt;
    }

    /// <summary>The session started on <paramref name="model"/>, routed as <paramref name="routing"/> says.</summary>
    public void SessionStarted(CatalogModel model, SessionRouting routing)
    {
        _context = _context with { Model = model.Id, Provider = model.Provider };
        _spool.Enqueue(new SessionStarted(EventIds.For(_context.SessionId, "started"), _context.TenantId, _context.SessionId,
            _context.Model, _context.Provider, routing.Arm, _context.ClientProtocol, _context.CreatedAt, routing.Route, routing.ExperimentId));
    }

    /// <summary>The session goes on on another model (mid-session fallback): what follows is recorded, and billed, as its.</summary>
    public void ModelChanged(CatalogModel model) => _context = _context with { Model = model.Id, Provider = model.Provider };

    /// <summary>This Router drives the session as <paramref name="attempt"/>: its response records say so.</summary>
    public void AnswerAs(ResponseAttempt attempt)
    {
        lock (_lock) _attempt = attempt;
    }

    /// <summary>
    /// The Gateway asks these requests again (the client never saw their answer complete), and the client saw these
    /// responses cut by the Router change: what earlier attempts recorded for them is void; only this attempt's answers count.
    /// </summary>
    public void ResponsesVoided(IReadOnlyCollection<ulong> reaskedSeqs, IReadOnlyCollection<CutResponse> cutResponses)
    {
        ResponseAttempt? attempt;
        lock (_lock) attempt = _attempt;
        if (attempt is null || (reaskedSeqs.Count == 0 && cutResponses.Count == 0)) return;
        var seqs = reaskedSeqs.Select(s => (long)s).Order().ToList();
        var responseIds = cutResponses.Select(r => r.ResponseId).Order(StringComparer.Ordinal).ToList();
        var itemIds = cutResponses.SelectMany(r => r.ItemIds).Order(StringComparer.Ordinal).ToList();
        _spool.Enqueue(new ResponsesDiscarded(
            EventIds.For(_context.SessionId, "discarded", attempt.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(',', seqs),
                string.Join(',', responseIds)),
            _context.TenantId, _context.SessionId, seqs, attempt.Attempt, _time.GetUtcNow(), responseIds, itemIds));
    }

    /// <summary>The session is over for good (not handed to another Router).</summary>
    public void SessionEnded(string reason)
    {
        var now = _time.GetUtcNow();
        _spool.Enqueue(new SessionEnded(EventIds.For(_context.SessionId, "ended"), _context.TenantId, _context.SessionId, now,
            Math.Max(0, (long)(now - _context.CreatedAt).TotalMilliseconds), reason));
    }

    /// <summary>The provider connection was switched to keep the session alive (see <see cref="ProviderSessionContext.ReportContinuity"/>).</summary>
    public void ContinuityObserved(string kind, TimeSpan duration, string detail) =>
        _spool.Enqueue(new VoicePlatform.Contracts.Events.Quality.ContinuityEventRecorded(EventIds.For(_context.SessionId, "continuity", kind, detail),
            _context.TenantId, _context.SessionId, kind, _time.GetUtcNow(), null, (long)duration.TotalMilliseconds, detail));

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken)
    {
        lock (_lock) Response(audio.ResponseId).StartMs ??= SessionMs();
        return _inner.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);
    }

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        if (!RecordedEventTypes.Contains(serverEvent.Type)) return _inner.EventAsync(serverEvent, cancellationToken);
        List<Task>? stored = null;
        try
        {
            Observe(serverEvent.Type, serverEvent.Json.Span, ref stored);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // Recording must never break the session; the event still goes to the client.
        }
        return stored is null ? _inner.EventAsync(serverEvent, cancellationToken) : DeliverStoredAsync(stored, serverEvent, cancellationToken);
    }

    /// <summary>
    /// Records before delivery: the client sees an event only once what it produced (transcript, usage) is in the
    /// spool, so a Router killed in between has not shown the client anything it did not record. Bounded (Redis stall).
    /// </summary>
    private async ValueTask DeliverStoredAsync(List<Task> stored, CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(stored).WaitAsync(_spool.StoreBeforeDeliveryTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Redis is slow: deliver now; the records are written when it answers.
        }
        await _inner.EventAsync(serverEvent, cancellationToken);
    }

    private void Store(object message) => (_storing ??= []).Add(_spool.EnqueueStored(message));

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) =>
        _inner.EndAsync(closeStatus, reason, cancellationToken);

    private void Observe(string type, ReadOnlySpan<byte> json, ref List<Task>? stored)
    {
        lock (_lock)
        {
            _storing = null;
            ObserveLocked(type, json);
            stored = _storing;
            _storing = null;
        }
    }

    private void ObserveLocked(string type, ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var e = document.RootElement;
        {
            switch (type)
            {
                case "input_audio_buffer.speech_started":
                    if (Str(e, "item_id") is { } startedItem) _speech[startedItem] = (SessionMs(), Long(e, "audio_start_ms"), null);
                    break;
                case "input_audio_buffer.speech_stopped":
                    if (Str(e, "item_id") is { } stoppedItem && _speech.TryGetValue(stoppedItem, out var speaking))
                        _speech[stoppedItem] = speaking with { AudioEnd = Long(e, "audio_end_ms") };
                    break;
                case "conversation.item.input_audio_transcription.completed":
                    RecordUser(Str(e, "item_id"), Str(e, "transcript"));
                    break;
                case "conversation.item.done":
                    // A typed user message is final as added: it belongs in the transcript like a spoken one.
                    if (e.TryGetProperty("item", out var item) && Str(item, "role") == "user")
                    {
                        if (TypedText(item) is { } typed) RecordUser(Str(item, "id"), typed);
                        else if (Str(item, "id") is { } spokenItem && !_speech.ContainsKey(spokenItem)) UserAudioItemAdded(spokenItem);
                    }
                    break;
                case "response.created":
                    if (e.TryGetProperty("response", out var created) && Str(created, "id") is { } createdId)
                        Response(createdId).StartMs ??= SessionMs();
                    break;
                case "response.output_audio_transcript.done":
                    if (Str(e, "response_id") is { } transcriptResponse && Str(e, "item_id") is { } transcriptItem)
                        Response(transcriptResponse).SetText(transcriptItem, Str(e, "transcript") ?? "", audio: true);
                    break;
                case "response.output_text.done":
                    if (Str(e, "response_id") is { } textResponse && Str(e, "item_id") is { } textItem)
                        Response(textResponse).SetText(textItem, Str(e, "text") ?? "", audio: false);
                    break;
                case "response.done":
                    if (e.TryGetProperty("response", out var done)) RecordResponseDone(done);
                    break;
            }
        }
    }

    private void RecordUser(string? itemId, string? transcript)
    {
        if (itemId is null || string.IsNullOrWhiteSpace(transcript)) return;
        var now = SessionMs();
        long start = now, end = now;
        if (_speech.Remove(itemId, out var speech))
        {
            start = speech.SessionStart;
            end = speech is { AudioStart: { } a, AudioEnd: { } b } && b >= a ? start + (b - a) : now;
        }
        else if (_userAudioItems.Remove(itemId, out var added))
        {
            start = end = added;
        }
        Store(new TranscriptSegmentRecorded(EventIds.For(_context.SessionId, itemId, "user"), _context.TenantId,
            _context.SessionId, itemId, "user", transcript, start, Math.Max(start, end), _context.Model, false, _time.GetUtcNow()));
    }

    private void UserAudioItemAdded(string itemId)
    {
        if (_userAudioItems.Count >= MaxPendingUserAudioItems)
            _userAudioItems.Remove(_userAudioItems.MinBy(i => i.Value).Key);
        _userAudioItems[itemId] = SessionMs();
    }

    private static string? TypedText(JsonElement item)
    {
        if (!item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return null;
        var parts = content.EnumerateArray().Where(c => Str(c, "type") == "input_text").Select(c => Str(c, "text")).OfType<string>().ToList();
        return parts.Count == 0 ? null : string.Join("\n", parts);
    }

    private void RecordResponseDone(JsonElement response)
    {
        var responseId = Str(response, "id");
        if (responseId is null) return;
        var now = SessionMs();
        var transcript = _responses.Remove(responseId, out var r) ? r : new ResponseTranscript();
        var requestSeq = _attempt?.RequestOf(responseId);
        var attempt = _attempt?.Attempt;
        // Anything but completed (cancelled by barge-in, incomplete): the user did not hear all of it.
        var truncated = Str(response, "status") is not "completed";
        foreach (var (itemId, text) in transcript.Texts)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            Store(new TranscriptSegmentRecorded(EventIds.For(_context.SessionId, itemId, "assistant"), _context.TenantId,
                _context.SessionId, itemId, "assistant", text, Math.Min(transcript.StartMs ?? now, now), now, _context.Model, truncated,
                _time.GetUtcNow(), requestSeq, attempt));
        }

        if (response.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            var at = _time.GetTimestamp();
            var connectionMs = (long)_time.GetElapsedTime(_lastUsageAt, at).TotalMilliseconds;
            _lastUsageAt = at;
            var recorded = UsageMapping.ToEvent(usage, EventIds.For(_context.SessionId, responseId, "usage"), _context, _time.GetUtcNow(), connectionMs);
            Store(recorded with { RequestSeq = requestSeq, Attempt = attempt });
        }
    }

    private ResponseTranscript Response(string responseId)
    {
        if (!_responses.TryGetValue(responseId, out var response)) _responses[responseId] = response = new ResponseTranscript();
        return response;
    }

    private long SessionMs() =>
        _context.OffsetAtAttachMs + (long)_time.GetElapsedTime(_attachedAt).TotalMilliseconds;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    /// <summary>What one response said, per output item; an audio transcript wins over a text part of the same item.</summary>
    private sealed class ResponseTranscript
    {
        private readonly HashSet<string> _fromAudio = new(StringComparer.Ordinal);
        public long? StartMs { get; set; }
        public List<(string ItemId, string Text)> Texts { get; } = [];

        public void SetText(string itemId, string text, bool audio)
        {
            var index = Texts.FindIndex(t => t.ItemId == itemId);
            if (index < 0)
            {
                Texts.Add((itemId, text));
                if (audio) _fromAudio.Add(itemId);
            }
            else if (audio || !_fromAudio.Contains(itemId))
            {
                Texts[index] = (itemId, text);
                if (audio) _fromAudio.Add(itemId);
            }
        }
    }
}
