using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Decides how far the Gateway may forget client input (the <c>Ack</c> it gets). Input handed to the provider is not
/// yet safe: audio in an uncommitted input buffer is lost with the provider connection if this Router dies, so it
/// must stay replayable until the turn it belongs to is committed. Rules:
/// <list type="bullet">
/// <item>a commit (<c>input_audio_buffer.committed</c> or <c>.cleared</c>) makes everything handed so far safe;</item>
/// <item>outside speech with server VAD, input older than <see cref="IdleKeep"/> is safe (it cannot become part of a
/// turn any more — the VAD's prefix padding reaches back less than that);</item>
/// <item>during speech, or with manual turns (<c>turn_detection: null</c>), nothing more is safe until the commit;</item>
/// <item>with checkpoints (<see cref="CommitsWaitForCheckpoint"/>), a commit makes its audio safe only once the
/// checkpoint holds the item it made (<see cref="Checkpointed"/>), or after <see cref="CheckpointWait"/>: a Router
/// killed in between must leave the audio replayable, since the next Router restores the conversation without it.</item>
/// </list>
/// Thread-safe: frames are reported from the relay loop, events from the provider's reader.
/// </summary>
public sealed class InputAcknowledgement : ICheckpointedCommits
{
    public static readonly TimeSpan IdleKeep = TimeSpan.FromSeconds(1);

    /// <summary>How long a commit waits for its item's checkpoint before its audio is safe anyway (Redis stalled).</summary>
    public static readonly TimeSpan CheckpointWait = TimeSpan.FromSeconds(5);
    private const int MaxCapacity = 4096; // frames remembered with their hand-off time (≈80 s of 20 ms audio)
    private const int InitialCapacity = 128; // ≈2.5 s: a turn's usual span; grown on demand (64 KB per session otherwise)

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private ulong[] _seqs = new ulong[InitialCapacity];
    private long[] _times = new long[InitialCapacity];
    private int _head; // oldest
    private int _count;
    private ulong _lastHanded;
    private ulong _committed;
    private bool _inSpeech;
    private int _activeResponses;
    private TaskCompletionSource? _idle;
    private bool _manualTurns;
    private bool _commitsWaitForCheckpoint;
    private bool _urgent; // since the last TakeUrgent: a control event handed, or a commit made input safe
    private readonly List<PendingCommit> _awaitingCheckpoint = []; // oldest first

    public InputAcknowledgement(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <param name="audio">Input audio: it moves the line every frame, and the Gateway needs to hear of it only now and
    /// then (see <see cref="TakeUrgent"/>); any other frame is a control event a failover must not hand over twice.</param>
    public void Handed(ulong seq, bool audio = false)
    {
        if (seq == 0) return;
        lock (_gate)
        {
            _lastHanded = seq;
            _urgent |= !audio;
            if (_count == _seqs.Length && _count < MaxCapacity) Grow();
            if (_count == _seqs.Length)
            {
                // Oldest entry falls out: treat it as safe (bounded memory beats an unbounded Gateway buffer).
                _committed = Math.Max(_committed, _seqs[_head]);
                _head = (_head + 1) % _seqs.Length;
                _count--;
            }
            var tail = (_head + _count) % _seqs.Length;
            _seqs[tail] = seq;
            _times[tail] = _time.GetTimestamp();
            _count++;
        }
    }

    /// <summary>Doubles the ring (under <see cref="_gate"/>), oldest entry first.</summary>
    private void Grow()
    {
        var seqs = new ulong[Math.Min(MaxCapacity, _seqs.Length * 2)];
        var times = new long[seqs.Length];
        for (var i = 0; i < _count; i++)
        {
            var index = (_head + i) % _seqs.Length;
            seqs[i] = _seqs[index];
            times[i] = _times[index];
        }
        _seqs = seqs;
        _times = times;
        _head = 0;
    }

    /// <summary>Follows the server events that move the line: VAD, commits, turn-detection mode.</summary>
    public void Observe(CanonicalEvent serverEvent)
    {
        // Parsed outside the lock; the lock only for the bookkeeping.
        var json = serverEvent.Json.Span;
        switch (serverEvent.Type)
        {
            case "input_audio_buffer.speech_started":
                lock (_gate) _inSpeech = true;
                return;
            case "input_audio_buffer.committed":
                var itemId = ItemIdOf(json);
                lock (_gate) Committed(itemId);
                return;
            case "input_audio_buffer.cleared":
                lock (_gate) Committed(null);
                return;
            case "session.created" or "session.updated":
                var manual = IsManual(json);
                lock (_gate) _manualTurns = manual;
                return;
            case "response.created":
                lock (_gate) _activeResponses++;
                return;
            case "response.done":
                lock (_gate) ResponseEnded();
                return;
        }
    }

    /// <summary>The input buffer was committed (making <paramref name="itemId"/>) or cleared. Caller holds the gate.</summary>
    private void Committed(string? itemId)
    {
        _inSpeech = false;
        if (_commitsWaitForCheckpoint && itemId is not null)
            _awaitingCheckpoint.Add(new PendingCommit(itemId, _lastHanded, _time.GetTimestamp()));
        else
            _committed = Math.Max(_committed, _lastHanded);
        _urgent = true;
    }

    /// <summary>Caller holds the gate.</summary>
    private void ResponseEnded()
    {
        _activeResponses = Math.Max(0, _activeResponses - 1);
        if (_activeResponses != 0) return;
        _idle?.TrySetResult();
        _idle = null;
    }

    /// <summary>From now on a commit's audio is safe only once the checkpoint holds its item (see <see cref="Checkpointed"/>).</summary>
    public void CommitsWaitForCheckpoint()
    {
        lock (_gate) _commitsWaitForCheckpoint = true;
    }

    /// <summary>
    /// The checkpoint now holds these items: the commits that made them (and any before) have their audio safe.
    /// </summary>
    public void Checkpointed(IReadOnlyCollection<string> itemIds)
    {
        lock (_gate)
        {
            for (var i = _awaitingCheckpoint.Count - 1; i >= 0; i--)
            {
                if (!itemIds.Contains(_awaitingCheckpoint[i].ItemId)) continue;
                _committed = Math.Max(_committed, _awaitingCheckpoint[i].Seq);
                _awaitingCheckpoint.RemoveRange(0, i + 1);
                _urgent = true;
                return;
            }
        }
    }

    public ulong? InputSeqOf(IReadOnlySet<string> itemIds)
    {
        lock (_gate)
        {
            for (var i = _awaitingCheckpoint.Count - 1; i >= 0; i--)
            {
                if (itemIds.Contains(_awaitingCheckpoint[i].ItemId)) return _awaitingCheckpoint[i].Seq;
            }
            return null;
        }
    }

    /// <summary>
    /// A resumed session: the checkpoint it resumed from already holds the turns of every client frame up to
    /// <paramref name="seq"/> (the Gateway replays them only because the ack did not reach it), so they are safe.
    /// </summary>
    public void CoveredByCheckpoint(ulong seq)
    {
        lock (_gate)
        {
            _committed = Math.Max(_committed, seq);
            _urgent = true;
        }
    }

    /// <summary>
    /// Whether the Gateway should hear now rather than at the next audio-only acknowledgement: a control event reached
    /// the provider (a failover replays those the Gateway does not know were handed) or a commit made input safe (a
    /// failover would replay it). Clears the flag.
    /// </summary>
    public bool TakeUrgent()
    {
        lock (_gate)
        {
            var urgent = _urgent;
            _urgent = false;
            return urgent;
        }
    }

    /// <summary>Waits until no response is in progress (or <paramref name="timeout"/>): a safe point to hand the session off.</summary>
    public async Task WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_gate)
        {
            if (_activeResponses == 0) return;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }
        try
        {
            await idle.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Hand off anyway: the grace period is over.
        }
    }

    /// <summary>The highest frame handed to the provider.</summary>
    public ulong LastHanded
    {
        get { lock (_gate) return _lastHanded; }
    }

    /// <summary>The highest sequence number the Gateway may forget now.</summary>
    public ulong SafeSeq()
    {
        lock (_gate)
        {
            // A commit whose item the checkpoint still lacks after CheckpointWait: Redis is stalled; let the audio go.
            var waitTicks = (long)(CheckpointWait.TotalSeconds * _time.TimestampFrequency);
            while (_awaitingCheckpoint.Count > 0 && _time.GetTimestamp() - _awaitingCheckpoint[0].At >= waitTicks)
            {
                _committed = Math.Max(_committed, _awaitingCheckpoint[0].Seq);
                _awaitingCheckpoint.RemoveAt(0);
            }
            var safe = _committed;
            // Audio after a commit still waiting for its checkpoint is not safe by age either: the line cannot pass it.
            if (!_inSpeech && !_manualTurns && _awaitingCheckpoint.Count == 0)
            {
                var cutoff = _time.GetTimestamp() - (long)(IdleKeep.TotalSeconds * _time.TimestampFrequency);
                for (var i = 0; i < _count; i++)
                {
                    var index = (_head + i) % _seqs.Length;
                    if (_times[index] > cutoff) break;
                    safe = Math.Max(safe, _seqs[index]);
                }
            }
            // Forget the bookkeeping for what is safe.
            while (_count > 0 && _seqs[_head] <= safe)
            {
                _head = (_head + 1) % _seqs.Length;
                _count--;
            }
            return Math.Min(safe, _lastHanded);
        }
    }

    /// <summary>The <c>item_id</c> of an event such as <c>input_audio_buffer.committed</c>.</summary>
    internal static string? ItemIdOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isItemId = reader.ValueTextEquals("item_id"u8);
            if (!reader.Read()) return null;
            if (isItemId) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.TrySkip();
        }
        return null;
    }

    private readonly record struct PendingCommit(string ItemId, ulong Seq, long At);

    private static bool IsManual(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return document.RootElement.TryGetProperty("session", out var session)
            && session.TryGetProperty("audio", out var audio)
            && audio.TryGetProperty("input", out var input)
            && input.TryGetProperty("turn_detection", out var turn)
            && turn.ValueKind == JsonValueKind.Null;
    }
}
