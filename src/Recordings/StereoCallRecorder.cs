using System.Buffers;
using System.Buffers.Binary;

namespace VoicePlatform.Recordings;

/// <summary>
/// Records one session as stereo PCM16 on the session timeline: left = what the caller sent, right = the assistant
/// audio the caller actually heard. Silence wherever nobody spoke.
/// <para>
/// Placement rules. Caller audio goes where it arrived, never overlapping itself, with delays closed after a burst:
/// <see cref="CallerAudioLayout"/> (the Gateway places user-speech cues by the same rules). Assistant audio is a
/// playout queue, as on the client: each chunk plays at max(its send time, end of the previous assistant audio).
/// <see cref="TruncateAssistant"/> removes queued audio after the point where the client stopped playback (barge-in).
/// </para>
/// <para>
/// Finalisation. <see cref="FlushAsync"/>(now) finalises everything before now − <see cref="RecordingOptions.FinalizationDelay"/>
/// (late truncations can still reach audio younger than that) and stores each full
/// <see cref="RecordingOptions.PartDuration"/> as a part object (<see cref="RecordingLayout"/>); call it every
/// second or so. <see cref="CompleteAsync"/> pads with silence to the session end, stores the last part and assembles
/// the WAV. Abandoning the recorder (crash) leaves the stored parts, which <see cref="RecordingAssembler"/> turns into a
/// WAV ending at most about PartDuration + FinalizationDelay before the crash.
/// </para>
/// <para>
/// Memory is a window, not the call: a ring per channel covering the editable span plus queued assistant audio
/// (capped by <see cref="RecordingOptions.MaxScheduledAhead"/>), one part buffer and a small scratch buffer, all
/// pooled. Appends copy into the ring without allocating.
/// </para>
/// <para>
/// Threading. Appends and truncations may come from different threads (receive and send loops) and never block on
/// I/O; flushes and completion are serialised among themselves and do their I/O outside the append lock.
/// </para>
/// </summary>
public sealed class StereoCallRecorder : IAsyncDisposable
{
    private const int ScratchFrames = 4096;

    private readonly IRecordingStore _store;
    private readonly RecordingOptions _options;
    private readonly object _sync = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly ChannelTimeline _caller;
    private readonly ChannelTimeline _assistant;
    private readonly RecordingPartWriter _parts;
    private readonly CallerAudioLayout _callerLayout;
    private short[] _scratch; // left half, right half

    private long _assistantEnd;
    private string? _assistantItemId;
    private long _assistantItemStart;
    private bool _completed;
    private bool _disposed;

    public StereoCallRecorder(IRecordingStore store, string keyPrefix, RecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        RecordingLayout.ValidatePrefix(keyPrefix);
        _options = options ?? new RecordingOptions();
        _options.Validate();
        _store = store;
        KeyPrefix = keyPrefix;
        var maxAhead = _options.ToFrames(_options.MaxScheduledAhead + _options.FinalizationDelay);
        _caller = new ChannelTimeline(maxAhead);
        _assistant = new ChannelTimeline(maxAhead);
        _callerLayout = new CallerAudioLayout(_options.ToFrames(_options.CallerJitterTolerance), _options.ToFrames(_options.FinalizationDelay));
        _parts = new RecordingPartWriter(store, keyPrefix, new RecordingManifest
        {
            SampleRate = _options.SampleRate,
            PartFrames = (int)_options.ToFrames(_options.PartDuration),
            StartedAtUnixMs = _options.TimelineStart?.ToUnixTimeMilliseconds(),
        });
        _scratch = ArrayPool<short>.Shared.Rent(ScratchFrames * 2);
    }

    /// <summary>Records under <see cref="RecordingLayout.SessionPrefix"/>(tenant, session).</summary>
    public static StereoCallRecorder ForSession(IRecordingStore store, string tenantId, string sessionId, RecordingOptions? options = null) =>
        new(store, RecordingLayout.SessionPrefix(tenantId, sessionId), options);

    public string KeyPrefix { get; }
    public RecordingOptions Options => _options;

    /// <summary>Bytes of buffers the recorder holds right now (rings, part buffer, scratch).</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_sync)
                return (long)(_caller.CapacityFrames + _assistant.CapacityFrames) * sizeof(short) + _parts.BufferedBytes + _scratch.Length * sizeof(short);
        }
    }

    /// <summary>Timeline position up to which audio is final (stored or about to be in the current part).</summary>
    public TimeSpan FinalizedUntil
    {
        get
        {
            lock (_sync)
                return TimelineClock.ToTime(_caller.Start, _options.SampleRate);
        }
    }

    /// <summary>Timeline position up to which audio is in stored parts — what survives a crash now.</summary>
    public TimeSpan StoredUntil => TimelineClock.ToTime(_parts.FramesStored, _options.SampleRate);

    /// <summary>Parts stored so far.</summary>
    public int PartsStored => _parts.PartsWritten;

    /// <summary>Frames not recorded because they were scheduled beyond <see cref="RecordingOptions.MaxScheduledAhead"/>.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>Truncated assistant frames that were already finalised and so stay in the recording.</summary>
    public long LateTruncatedFrames { get; private set; }

    /// <summary>
    /// Caller audio (PCM16 LE mono at the recording rate) that arrived at session time <paramref name="at"/>.
    /// A trailing odd byte is ignored.
    /// </summary>
    public void AppendCaller(ReadOnlySpan<byte> pcm16, TimeSpan at)
    {
        var frames = pcm16.Length / 2;
        if (frames == 0)
            return;
        lock (_sync)
        {
            if (_completed || _disposed)
                return;
            // Audio older than the finalisation point (arrived more than FinalizationDelay late) is kept, just late.
            var arrival = _options.ToFrames(at);
            var start = _callerLayout.Start(arrival, _caller.Start, out _);
            var written = _caller.Write(start, pcm16);
            DroppedFrames += frames - written;
            var shift = _callerLayout.Placed(start, written, arrival, _caller.Start);
            if (shift > 0)
                _caller.MoveEarlier(_callerLayout.RunStart + shift, _callerLayout.End + shift, shift);
        }
    }

    /// <summary>
    /// Assistant audio (PCM16 LE mono at the recording rate) sent to the client at session time <paramref name="at"/>.
    /// It plays after any assistant audio still queued. <paramref name="itemId"/> (optional) lets
    /// <see cref="TruncateAssistantItem"/> resolve item-relative truncation offsets.
    /// </summary>
    public void AppendAssistant(ReadOnlySpan<byte> pcm16, TimeSpan at, string? itemId = null)
    {
        var frames = pcm16.Length / 2;
        if (frames == 0)
            return;
        lock (_sync)
        {
            if (_completed || _disposed)
                return;
            var start = Math.Max(Math.Max(_options.ToFrames(at), _assistantEnd), _assistant.Start);
            if (itemId is not null && !string.Equals(itemId, _assistantItemId, StringComparison.Ordinal))
            {
                _assistantItemId = itemId;
                _assistantItemStart = start;
            }
            var written = _assistant.Write(start, pcm16);
            DroppedFrames += frames - written;
            _assistantEnd = start + written;
        }
    }

    /// <summary>
    /// Barge-in: the client stopped assistant playback at session time <paramref name="heardUntil"/>; queued assistant
    /// audio after it was never heard and is removed. Later assistant audio queues from there.
    /// </summary>
    public void TruncateAssistant(TimeSpan heardUntil)
    {
        lock (_sync)
        {
            if (_completed || _disposed)
                return;
            TruncateAssistantAt(_options.ToFrames(heardUntil));
        }
    }

    /// <summary>
    /// Barge-in as the client reports it (<c>conversation.item.truncate</c>): playback of item <paramref name="itemId"/>
    /// stopped <paramref name="audioEnd"/> into that item's audio. Returns false when the item is not the latest
    /// assistant item seen by <see cref="AppendAssistant"/> (nothing is truncated then).
    /// </summary>
    public bool TruncateAssistantItem(string itemId, TimeSpan audioEnd)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        lock (_sync)
        {
            if (_completed || _disposed || !string.Equals(itemId, _assistantItemId, StringComparison.Ordinal))
                return false;
            TruncateAssistantAt(_assistantItemStart + _options.ToFrames(audioEnd));
            return true;
        }
    }

    /// <summary>
    /// Finalises audio before <paramref name="now"/> − FinalizationDelay and stores every completed part.
    /// Safe to call concurrently with appends; concurrent flushes queue.
    /// </summary>
    public async Task FlushAsync(TimeSpan now, CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed || _disposed)
                return;
            await FinalizeUntilAsync(_options.ToFrames(now - _options.FinalizationDelay), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>
    /// Ends the recording at <paramref name="sessionEnd"/>: audio up to it is finalised (silence-padded), audio
    /// scheduled after it is discarded, the last part is stored and the WAV assembled. Returns the stored WAV.
    /// </summary>
    public async Task<RecordingResult> CompleteAsync(TimeSpan sessionEnd, CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
                throw new InvalidOperationException("The recording is already complete.");
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (_sync)
                _completed = true; // appends from now on are ignored
            await FinalizeUntilAsync(_options.ToFrames(sessionEnd), cancellationToken).ConfigureAwait(false);
            if (_parts.PartsWritten == 0 && _parts.IsEmpty)
            {
                // An empty recording still gets a manifest (and a WAV of one silent frame).
                _parts.FreeSpace[.._parts.BytesPerFrame].Clear();
                _parts.Commit(1);
            }
            await _parts.StorePartAsync(cancellationToken).ConfigureAwait(false);
            var result = await RecordingAssembler.AssembleAsync(_store, KeyPrefix, _options.DeletePartsAfterCompletion, cancellationToken: cancellationToken).ConfigureAwait(false);
            return result ?? throw new InvalidOperationException($"No manifest under '{KeyPrefix}' after storing the recording.");
        }
        finally
        {
            // Success or not, the recording is over: if storing failed, the parts already stored can still be
            // assembled later with RecordingAssembler.
            ReleaseBuffers();
            _flushGate.Release();
        }
    }

    /// <summary>Releases the buffers. Without <see cref="CompleteAsync"/> this abandons the recording: stored parts stay.</summary>
    public async ValueTask DisposeAsync()
    {
        await _flushGate.WaitAsync().ConfigureAwait(false);
        try
        {
            ReleaseBuffers();
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private void ReleaseBuffers()
    {
        lock (_sync)
        {
            if (_disposed)
                return;
            _disposed = true;
            _caller.Dispose();
            _assistant.Dispose();
            _parts.Dispose();
            var scratch = _scratch;
            _scratch = [];
            ArrayPool<short>.Shared.Return(scratch);
        }
    }

    private void TruncateAssistantAt(long heardUntil)
    {
        if (heardUntil >= _assistantEnd)
            return;
        if (heardUntil < _assistant.Start)
        {
            LateTruncatedFrames += Math.Min(_assistantEnd, _assistant.Start) - heardUntil;
            heardUntil = _assistant.Start;
        }
        _assistant.Clear(heardUntil, _assistantEnd);
        _assistantEnd = heardUntil;
    }

    /// <summary>Moves frames before <paramref name="target"/> into parts, storing each part as it fills. Under the flush gate.</summary>
    private async Task FinalizeUntilAsync(long target, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_sync)
            {
                var remaining = target - _caller.Start;
                if (remaining <= 0)
                    return;
                var frames = (int)Math.Min(remaining, Math.Min(_parts.FreeFrames, ScratchFrames));
                if (frames > 0)
                {
                    var left = _scratch.AsSpan(0, frames);
                    var right = _scratch.AsSpan(ScratchFrames, frames);
                    _caller.Take(left);
                    _assistant.Take(right);
                    Interleave(left, right, _parts.FreeSpace);
                    _parts.Commit(frames);
                    // Queues that fell behind the finalised position restart from it.
                    _assistantEnd = Math.Max(_assistantEnd, _assistant.Start);
                }
            }
            if (_parts.IsFull)
                await _parts.StorePartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Interleave(ReadOnlySpan<short> left, ReadOnlySpan<short> right, Span<byte> destination)
    {
        for (var i = 0; i < left.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * 4)..], left[i]);
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * 4 + 2)..], right[i]);
        }
    }
}
