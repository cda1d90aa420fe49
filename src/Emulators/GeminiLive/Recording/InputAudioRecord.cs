using VoicePlatform.Emulators.InputAudioRecording;
namespace VoicePlatform.Emulators.GeminiLive.Recording;

/// <summary>
/// The effective input audio of one logical session (all its resumed connections), as PCM16 LE mono.
/// Written by the connection serving the session and read by the HTTP endpoints, hence the lock.
/// </summary>
internal sealed class InputAudioRecord(string id, DateTimeOffset createdAt, long maxBytes) : IInputAudioRecord
{
    /// <summary>Reported before the first chunk: the Live API's native input rate.</summary>
    private const int DefaultSampleRate = 16000;

    private readonly object _gate = new();
    private InputAudioMark _head = InputAudioMark.Empty;
    private int? _sampleRate;
    private bool _mixedRates;
    private int _connections;
    private int _openConnections;
    private bool _capped;

    public string Id { get; } = id;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The audio consumed so far; a resumption handle issued now restores exactly this.</summary>
    public InputAudioMark Mark
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    public void Attach()
    {
        lock (_gate)
        {
            _connections++;
            _openConnections++;
        }
    }

    public void Detach()
    {
        lock (_gate)
        {
            _openConnections--;
        }
    }

    /// <summary>The session hit its cap: it is over even though a connection may still be closing.</summary>
    public void MarkCapped()
    {
        lock (_gate)
        {
            _capped = true;
        }
    }

    /// <summary>Appends decoded PCM16; the array is kept as is, so callers must not reuse it.</summary>
    public void Append(byte[] pcm, int sampleRate)
    {
        lock (_gate)
        {
            // One rate per record; a client switching rates is a bug the listing shows rather than hides by resampling.
            _sampleRate ??= sampleRate;
            _mixedRates |= _sampleRate != sampleRate;
            _head = _head.Append(pcm, maxBytes);
        }
    }

    /// <summary>A resumption restores the state frozen with its handle: audio consumed after it is dropped.</summary>
    public void RevertTo(InputAudioMark mark)
    {
        lock (_gate)
        {
            _head = mark;
        }
    }

    public InputAudioSummary Summarize()
    {
        lock (_gate)
        {
            return new InputAudioSummary(
                Id,
                CreatedAt.UtcDateTime,
                _connections,
                _head.StoredTotal,
                _sampleRate ?? DefaultSampleRate,
                _head.Truncated,
                Ended: _openConnections <= 0 || _capped,
                _mixedRates);
        }
    }

    public (byte[] Pcm, int SampleRate) Read()
    {
        InputAudioMark head;
        int rate;
        lock (_gate)
        {
            head = _head;
            rate = _sampleRate ?? DefaultSampleRate;
        }

        // Marks are immutable: the copy can be made outside the lock.
        return (head.ToArray(), rate);
    }
}
