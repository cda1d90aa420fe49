using VoicePlatform.Contracts.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Checkpoints;

/// <summary>
/// Sits between a provider session and the Gateway and keeps the session's resumable state in Redis. It watches the
/// canonical server events that change what a resume needs — the effective session (<c>session.created/updated</c>)
/// and the conversation (<c>conversation.item.done/deleted</c>, input transcriptions) — plus provider state the
/// connector reports (Gemini's handle), and writes them at those checkpoints, never per audio frame. Writes go through
/// one background loop so the relay never waits on Redis; while Redis is unreachable the latest state is kept and
/// written once it is back. It also renews the lease; a lost lease (another Router took the session) completes
/// <see cref="LeaseLost"/>, and the relay must stop driving the session.
/// </summary>
public sealed class SessionCheckpointer : ISessionEventSink, ISessionCheckpoints, IAsyncDisposable
{
    private readonly ISessionEventSink _inner;
    private readonly SessionStateStore _store;
    private readonly SessionLease _lease;
    private readonly ContinuityOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly CheckpointHistory _history = new();
    private readonly Dictionary<string, string> _pendingFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _allFields = new(StringComparer.Ordinal); // to rewrite lost state
    private bool _written; // a first write creates the state, so "state was missing" means loss only after it
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _leaseLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _writer;
    private readonly Task _renewer;
    private readonly ICheckpointedCommits? _commits;
    private readonly StoredItemWaits _storedWaits = new();

    public SessionCheckpointer(ISessionEventSink inner, SessionStateStore store, SessionLease lease, ContinuityOptions options,
        IReadOnlyDictionary<string, string> initialFields, SessionResumeState? resumed, ILogger logger,
        TimeProvider? time = null, ICheckpointedCommits? commits = null)
    {
        _commits = commits;
        _time = time ?? TimeProvider.System;
        _inner = inner;
        _store = store;
        _lease = lease;
        _options = options;
        _logger = logger;
        foreach (var (name, value) in initialFields) _pendingFields[name] = value;
        if (resumed is not null)
        {
            // A history cut on resume (what the client never saw): the stored one is replaced, stale handles blanked.
            _history.Restore(resumed.History, rewrite: resumed.HistoryCut);
            foreach (var key in resumed.ClearedProviderKeys) _pendingFields["provider:" + key] = string.Empty;
        }
        Signal();
        _writer = Task.Run(WriteLoopAsync);
        _renewer = Task.Run(RenewLoopAsync);
    }

    /// <summary>Completes when another Router took the session over (fencing token superseded or lease lost).</summary>
    public Task LeaseLost => _leaseLost.Task;

    /// <summary>The lease's fencing token: which attempt at driving the session this is (it grows with every new owner).</summary>
    public long Attempt => _lease.Token;

    public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
        _inner.AudioDeltaAsync(audio, pcm16, sampleRate, cancellationToken);

    public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
    {
        if (_commits is not null && serverEvent.Type == "input_audio_buffer.committed"
            && InputAcknowledgement.ItemIdOf(serverEvent.Json.Span) is { Length: > 0 } itemId)
            return DeliverCommitWhenStoredAsync(itemId, serverEvent, cancellationToken);
        Observe(serverEvent.Type, serverEvent.Json.Span);
        return _inner.EventAsync(serverEvent, cancellationToken);
    }

    /// <summary>
    /// A spoken turn reaches the client only once the checkpoint holds it: the user's item (words to follow with
    /// <c>conversation.item.done</c> and its transcription) is stored with the input its commit took in, then the
    /// commit goes on. So a Router killed in between has shown the client nothing the next Router would make again
    /// from the replayed audio. Bounded by <see cref="ContinuityOptions.CommitStoreTimeout"/> (Redis stalled).
    /// </summary>
    private async ValueTask DeliverCommitWhenStoredAsync(string itemId, CanonicalEvent committed, CancellationToken cancellationToken)
    {
        Task stored;
        lock (_gate)
        {
            if (!_history.Contains(itemId))
            {
                var placeholder = new JsonObject
                {
                    ["id"] = itemId,
                    ["type"] = "message",
                    ["status"] = "completed",
                    ["role"] = "user",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "input_audio", ["transcript"] = null }),
                };
                _history.Upsert(placeholder);
            }
            // Under the gate: a write that takes the item from here on completes it.
            stored = _storedWaits.For(itemId);
        }
        Signal();
        try
        {
            await stored.WaitAsync(_options.CommitStoreTimeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            _storedWaits.Abandon(itemId);
            _logger.LogWarning("Session {SessionId}: item {ItemId} not checkpointed within {Timeout}; its commit goes to the client anyway",
                _lease.SessionId, itemId, _options.CommitStoreTimeout);
        }
        await _inner.EventAsync(committed, cancellationToken);
    }

    public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) =>
        _inner.EndAsync(closeStatus, reason, cancellationToken);

    public void SetProviderState(string name, string value)
    {
        lock (_gate) _pendingFields["provider:" + name] = value;
        Signal();
    }

    /// <summary>Session facts learnt after the checkpointer opened (which model a connect landed on, its routing).</summary>
    public void SetSessionFields(IReadOnlyDictionary<string, string> fields)
    {
        lock (_gate)
        {
            foreach (var (name, value) in fields) _pendingFields[name] = value;
        }
        Signal();
    }

    /// <summary>
    /// The session as it stands, for a provider that has not served it (mid-session fallback): the effective session
    /// without its model, the conversation so far, and no provider state; the old provider's state is cleared in the
    /// store, since it describes a context the next provider does not have.
    /// </summary>
    public SessionResumeState HandOverToAnotherProvider()
    {
        SessionResumeState state;
        lock (_gate)
        {
            var config = _pendingFields.TryGetValue("config", out var pending) ? pending : _allFields.GetValueOrDefault("config");
            JsonElement? session = null;
            if (config is not null && JsonNode.Parse(config) is JsonObject fields)
            {
                fields.Remove("model");
                session = JsonDocument.Parse(fields.ToJsonString(WireJson.Options)).RootElement.Clone();
            }
            var history = _history.Snapshot();
            foreach (var key in _allFields.Keys.Concat(_pendingFields.Keys).Where(k => k.StartsWith("provider:", StringComparison.Ordinal)).ToList())
                _pendingFields[key] = string.Empty;
            state = new SessionResumeState(session, history, new Dictionary<string, string>(StringComparer.Ordinal));
        }
        Signal();
        return state;
    }

    private void Observe(string type, ReadOnlySpan<byte> json)
    {
        if (type is not ("session.created" or "session.updated" or "conversation.item.done" or "conversation.item.deleted"
            or "conversation.item.input_audio_transcription.completed"))
            return;

        var node = JsonNode.Parse(json)!.AsObject();
        lock (_gate)
        {
            switch (type)
            {
                case "session.created" or "session.updated":
                    _pendingFields["config"] = node["session"]!.ToJsonString(WireJson.Options);
                    break;
                case "conversation.item.done":
                    _history.Upsert(node["item"]!.AsObject());
                    break;
                case "conversation.item.deleted":
                    _history.Delete(node["item_id"]?.GetValue<string>());
                    break;
                default:
                    _history.FoldTranscript(node["item_id"]?.GetValue<string>(), node["content_index"]?.GetValue<int>() ?? 0, node["transcript"]?.GetValue<string>());
                    break;
            }
        }
        Signal();
    }

    public void RecordTranscript(string itemId, int contentIndex, string transcript)
    {
        lock (_gate) _history.FoldTranscript(itemId, contentIndex, transcript);
        Signal();
    }

    private void Signal()
    {
        if (_dirty.CurrentCount == 0)
        {
            try
            {
                _dirty.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _dirty.WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await FlushAsync(token);
        }
    }

    /// <summary>Writes what is pending; on Redis trouble keeps it and retries (sessions go on without Redis).</summary>
    private async Task FlushAsync(CancellationToken token)
    {
        while (true)
        {
            Dictionary<string, string> fields;
            List<string>? appends;
            List<string>? replacement;
            HashSet<string>? stored = null;
            lock (_gate)
            {
                if (_pendingFields.Count == 0 && !_history.HasPending) return;
                // Once this write lands, the store holds every item known now (earlier writes hold the rest).
                if (_commits is not null && _history.HasPending)
                    stored = _history.Ids();
                fields = new Dictionary<string, string>(_pendingFields);
                // With the items, the client input they account for: a Router resuming from this write drops the
                // Gateway's replay of it (the ack may not have reached the Gateway) instead of making the turn twice.
                if (stored is not null && _commits!.InputSeqOf(stored) is { } inputSeq)
                    fields[SessionSnapshots.InputSeqField] = inputSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
                (appends, replacement) = _history.TakePending();
                _pendingFields.Clear();
            }

            try
            {
                var result = await _store.WriteCheckpointAsync(_lease, fields, appends, replacement);
                if (result == CheckpointResult.FencedOff)
                {
                    _logger.LogWarning("Session {SessionId}: checkpoint refused, another Router owns the session now", _lease.SessionId);
                    _leaseLost.TrySetResult();
                    return;
                }
                bool lost;
                lock (_gate)
                {
                    foreach (var (name, value) in fields) _allFields[name] = value;
                    lost = result == CheckpointResult.WrittenIntoLostState && _written;
                    _written = true;
                    if (lost)
                    {
                        // Redis came back empty: write the whole state again on the next pass.
                        _logger.LogWarning("Session {SessionId}: session state was lost in Redis; writing it again", _lease.SessionId);
                        foreach (var (name, value) in _allFields) _pendingFields.TryAdd(name, value);
                        _history.RewriteAll();
                    }
                }
                if (!lost)
                {
                    if (stored is not null)
                    {
                        _commits!.Checkpointed(stored);
                        _storedWaits.Stored(stored);
                    }
                    return;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogWarning("Session {SessionId}: checkpoint failed ({Error}); keeping it for the next attempt", _lease.SessionId, e.Message);
                lock (_gate)
                {
                    // Put it back under anything newer.
                    foreach (var (name, value) in fields) _pendingFields.TryAdd(name, value);
                    _history.PutBack(appends, replacement);
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RenewLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.LeaseRenewInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (!await _store.RenewAsync(_lease))
                    {
                        _logger.LogWarning("Session {SessionId}: lease lost to another Router", _lease.SessionId);
                        _leaseLost.TrySetResult();
                        return;
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Redis down: nobody else can take the lease either; keep driving and retry.
                    _logger.LogWarning("Session {SessionId}: lease renewal failed ({Error})", _lease.SessionId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Final checkpoint, then (unless the session moved to another Router) the lease is released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_writer, _renewer).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (_leaseLost.Task.IsCompleted) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        try
        {
            await FlushAsync(timeout.Token);
            await _store.ReleaseAsync(_lease);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            _logger.LogWarning("Session {SessionId}: final checkpoint failed ({Error})", _lease.SessionId, e.Message);
        }
        _stop.Dispose();
    }
}
