using System.Text.Json;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// The recording tap of one client session: caller audio as forwarded to the Router (left) and assistant audio as sent
/// to the client (right), on the session timeline (time since the session opened), with the client's
/// <c>conversation.item.truncate</c> cutting what it did not play. Recording starts whenever the switch is on (at that
/// point of the timeline; silence before), so nothing is allocated for sessions that are never recorded. Finalised
/// audio is written out about once a second off the hot path; at the end the WAV is assembled and announced.
/// Appends copy into the recorder's rings and do not allocate (except when resampling G.711 input).
/// </summary>
public sealed class SessionRecordingTap : IAsyncDisposable
{
    private readonly SessionRecordingSwitch _switch;
    private readonly IRecordingStore? _store;
    private readonly RecordingStoredPublisher? _publisher;
    private readonly Guid _tenantId;
    private readonly string _sessionId;
    private readonly string _keyPrefix;
    private readonly TimeSpan _flushInterval;
    private readonly ILogger _logger;
    private readonly long _opened;
    private readonly TimeProvider _time;
    private readonly RecordingOptions _options;
    private readonly RecordingChannelInput _callerInput;
    private readonly RecordingChannelInput _assistantInput;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private StereoCallRecorder? _recorder;
    private Task _flushing = Task.CompletedTask;
    private int _completed;

    /// <param name="segment">Null for the session's first recording; a resumed session gets its own segment name.</param>
    /// <param name="opened">When the session opened (a <see cref="TimeProvider.GetTimestamp"/> of <paramref name="time"/>): the timeline's zero.</param>
    /// <param name="time">The session's clock (the system clock when null).</param>
    public SessionRecordingTap(SessionRecordingSwitch recordingSwitch, IRecordingStore? store, RecordingStoredPublisher? publisher,
        Guid tenantId, string sessionId, string? segment, long opened, TimeSpan flushInterval, ILogger logger, TimeProvider? time = null)
    {
        _opened = opened;
        _time = time ?? TimeProvider.System;
        // The wall-clock time of the timeline's zero lines this segment up with the session's other segments, if any.
        _options = new RecordingOptions { TimelineStart = _time.GetUtcNow() - _time.GetElapsedTime(opened) };
        _switch = recordingSwitch;
        _store = store;
        _publisher = publisher;
        _tenantId = tenantId;
        _sessionId = sessionId;
        _keyPrefix = RecordingLayout.SessionPrefix(tenantId.ToString(), sessionId) + (segment is null ? "" : segment + "/");
        _flushInterval = flushInterval;
        _logger = logger;
        _callerInput = new RecordingChannelInput(_options.SampleRate);
        _assistantInput = new RecordingChannelInput(_options.SampleRate);
    }

    /// <summary>A tap that never records (no store configured, or in tests).</summary>
    public static SessionRecordingTap Disabled(string sessionId, ILogger logger) =>
        new(new SessionRecordingSwitch(false, available: false), null, null, Guid.Empty, sessionId, null, TimeProvider.System.GetTimestamp(), TimeSpan.FromSeconds(1), logger);

    public SessionRecordingSwitch Switch => _switch;

    /// <summary>Where this session's recording is (being) stored.</summary>
    public string KeyPrefix => _keyPrefix;

    /// <summary>Time since the session opened.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_opened);

    /// <summary>
    /// Caller audio as forwarded to the Router (client loop only), placed as arriving at <paramref name="forwardedAt"/>
    /// (session time): the instant the quality meter places the user's speech by too.
    /// </summary>
    public void Caller(ReadOnlySpan<byte> pcm16, int sampleRate, TimeSpan forwardedAt)
    {
        if (!_switch.IsOn || Recorder() is not { } recorder) return;
        recorder.AppendCaller(_callerInput.ToRecordingRate(pcm16, sampleRate), forwardedAt);
    }

    /// <summary>
    /// Assistant audio as sent to the client (Router loop only), placed at <paramref name="sentAt"/> (session time its
    /// write started): the instant the quality meter stamps too, so the transcript's cue and the recording agree even
    /// when the tap is called later (after the write, after starting the recorder).
    /// </summary>
    public void Assistant(ReadOnlySpan<byte> pcm16, int sampleRate, string itemId, TimeSpan sentAt)
    {
        if (!_switch.IsOn || Recorder() is not { } recorder) return;
        recorder.AppendAssistant(_assistantInput.ToRecordingRate(pcm16, sampleRate), sentAt, itemId);
    }

    /// <summary>
    /// A client event forwarded to the Router: <c>conversation.item.truncate</c> says where the client stopped playing
    /// an item after a barge-in, so the recording keeps only what was heard. Other events are ignored.
    /// </summary>
    public void ClientEvent(ReadOnlySpan<byte> json)
    {
        if (Volatile.Read(ref _recorder) is not { } recorder) return;
        if (!json.StartsWith("{"u8) || json.IndexOf("conversation.item.truncate"u8) < 0) return; // cheap pre-check; rare events
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("type", out var type) && type.ValueEquals("conversation.item.truncate")
            && root.TryGetProperty("item_id", out var item) && item.ValueKind == JsonValueKind.String
            && root.TryGetProperty("audio_end_ms", out var end) && end.TryGetInt64(out var endMs))
        {
            recorder.TruncateAssistantItem(item.GetString()!, TimeSpan.FromMilliseconds(endMs));
        }
    }

    private StereoCallRecorder? Recorder()
    {
        if (Volatile.Read(ref _recorder) is { } recorder) return recorder;
        if (_store is null) return null;
        lock (_gate)
        {
            if (_recorder is not null || Volatile.Read(ref _completed) == 1) return _recorder;
            _logger.LogInformation("Session {SessionId}: recording from {Offset} into {Prefix}", _sessionId, Now, _keyPrefix);
            var created = new StereoCallRecorder(_store, _keyPrefix, _options);
            _flushing = FlushPeriodicallyAsync(created, _stop.Token);
            Volatile.Write(ref _recorder, created);
            return created;
        }
    }

    private async Task FlushPeriodicallyAsync(StereoCallRecorder recorder, CancellationToken cancellationToken)
    {
        await Task.Yield(); // never run the first flush on the appending thread
        using var timer = new PeriodicTimer(_flushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await recorder.FlushAsync(Now, cancellationToken);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The store is briefly unwritable: finalised audio waits in the ring (bounded) for the next flush.
                    _logger.LogWarning("Session {SessionId}: recording flush failed ({Error})", _sessionId, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The session ended (on this Gateway): the recording is padded to now, stored as a WAV and announced
    /// (<see cref="RecordingStoredPublisher"/>). Returns the stored recording, or null when nothing was recorded.
    /// </summary>
    public async Task<RecordingResult?> CompleteAsync(CancellationToken cancellationToken = default)
    {
        StereoCallRecorder? recorder;
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _completed, 1) == 1) return null;
            recorder = _recorder;
        }
        var end = Now;
        await _stop.CancelAsync();
        await _flushing;
        if (recorder is null) return null;
        try
        {
            var result = await recorder.CompleteAsync(end, cancellationToken);
            _logger.LogInformation("Session {SessionId}: recording stored as {Key} ({Duration}, {Size} bytes)",
                _sessionId, result.Key, result.Duration, result.SizeBytes);
            if (_publisher is not null)
                await RecordingAnnouncement.AnnounceAsync(_store!, _publisher, _tenantId, _sessionId, _keyPrefix, result, cancellationToken);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What was stored stays: the next Gateway start assembles and announces it (UnannouncedRecordingSweep).
            _logger.LogError(e, "Session {SessionId}: recording could not be completed", _sessionId);
            return null;
        }
        finally
        {
            await recorder.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync();
        _stop.Dispose();
    }
}
