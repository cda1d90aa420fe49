using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// What is in flight on the current OpenAI connection: a response, the user speaking, a VAD turn about to be answered,
/// audio not yet committed, input transcriptions outstanding. Fed by the connection's server events (from its reader)
/// and by the client audio sent to it; the rollover asks it for a turn boundary and waits on its changes.
/// </summary>
public sealed class OpenAITurnTracker(TimeProvider time) : IDisposable
{
    /// <summary>How long a speech_stopped may wait for the response VAD creates before the turn counts as over.</summary>
    public static readonly TimeSpan AutoResponseGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long a committed turn's input transcription may be outstanding before the turn counts as over.</summary>
    public static readonly TimeSpan TranscriptionGrace = TimeSpan.FromSeconds(3);

    private volatile bool _responseActive;
    private volatile bool _speechActive;
    private volatile bool _autoResponseDue;
    private volatile bool _audioSinceCommit;
    private long _speechStoppedAt;
    private long _lastCommitAt;
    private readonly HashSet<string> _pendingTranscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>A response.created without its response.done.</summary>
    public bool ResponseActive => _responseActive;

    /// <summary>A speech_started without its speech_stopped.</summary>
    public bool SpeechActive => _speechActive;

    /// <summary>Audio appended since the last committed or cleared.</summary>
    public bool AudioSinceCommit => _audioSinceCommit;

    public void ResponseCreated()
    {
        _responseActive = true;
        _autoResponseDue = false;
    }

    public void ResponseDone()
    {
        _responseActive = false;
        _autoResponseDue = false;
        Signal();
    }

    public void SpeechStarted() => _speechActive = true;

    /// <param name="vadCreatesResponses">turn_detection.create_response: a response is on its way.</param>
    public void SpeechStopped(bool vadCreatesResponses)
    {
        _speechActive = false;
        Volatile.Write(ref _speechStoppedAt, time.GetTimestamp());
        _autoResponseDue = vadCreatesResponses;
        Signal();
    }

    public void Cleared()
    {
        _speechActive = false;
        _audioSinceCommit = false;
        Signal();
    }

    /// <param name="itemId">The committed item, whose input transcription is awaited when <paramref name="transcribed"/>.</param>
    public void Committed(string? itemId, bool transcribed)
    {
        _audioSinceCommit = false;
        Volatile.Write(ref _lastCommitAt, time.GetTimestamp());
        if (itemId is not null && transcribed)
        {
            lock (_pendingTranscriptions) _pendingTranscriptions.Add(itemId);
        }
        Signal();
    }

    /// <summary>The input transcription of <paramref name="itemId"/> completed or failed.</summary>
    public void TranscriptionEnded(string? itemId)
    {
        if (itemId is not null)
        {
            lock (_pendingTranscriptions) _pendingTranscriptions.Remove(itemId);
        }
        Signal();
    }

    /// <summary>Client audio went to the connection.</summary>
    public void AudioSent() => _audioSinceCommit = true;

    /// <summary>A new connection heard the uncommitted audio again (<paramref name="any"/>: there was some).</summary>
    public void AudioReplayed(bool any) => _audioSinceCommit = any;

    /// <summary>The client moved to a new connection: nothing is in flight on it.</summary>
    public void Reset()
    {
        _responseActive = _speechActive = _autoResponseDue = _audioSinceCommit = false;
        lock (_pendingTranscriptions) _pendingTranscriptions.Clear();
    }

    /// <summary>
    /// A turn boundary: no response in progress (every response.created was followed by response.done) and no VAD
    /// turn about to get one (speech_stopped without response.created yet, for up to <see cref="AutoResponseGrace"/>);
    /// the user is not speaking (no speech_started without speech_stopped); with manual turns
    /// (<c>turn_detection: null</c>) no audio was appended since the last committed/cleared; and no input transcription
    /// of a committed turn is outstanding (for up to <see cref="TranscriptionGrace"/>).
    /// </summary>
    public bool AtTurnBoundary(bool manualTurns)
    {
        if (_responseActive || _speechActive) return false;
        if (_autoResponseDue && time.GetElapsedTime(Volatile.Read(ref _speechStoppedAt)) < AutoResponseGrace) return false;
        if (_audioSinceCommit && manualTurns) return false;
        lock (_pendingTranscriptions)
        {
            return _pendingTranscriptions.Count == 0 || time.GetElapsedTime(Volatile.Read(ref _lastCommitAt)) >= TranscriptionGrace;
        }
    }

    /// <summary>Waits until the turn state may have changed, or <paramref name="timeout"/>; false on timeout.</summary>
    public Task<bool> WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _changed.WaitAsync(timeout, time, cancellationToken);

    public void Dispose() => _changed.Dispose();

    private void Signal()
    {
        if (_changed.CurrentCount > 0) return;
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another signal got there first: one pending wake-up is enough.
        }
    }
}
