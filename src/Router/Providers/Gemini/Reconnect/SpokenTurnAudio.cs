namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The audio (16 kHz PCM as sent to Gemini) of the user's latest spoken turn, from a short lead-in before the router
/// VAD heard speech until it heard the end, kept until a reply to the turn is done. A connection rebuilt from history
/// after the reply was lost must hear this again: the history holds a spoken turn as its transcript at best (as a
/// placeholder before transcription), and asking Gemini to answer that text answers something else.
/// </summary>
public sealed class SpokenTurnAudio(int leadInBytes, int maxBytes) : IDisposable
{
    private readonly PcmBuffer _audio = new();
    private bool _speaking;
    private bool _overflowed;

    /// <summary>The committed user item whose reply is still owed (null while speaking, and once answered).</summary>
    public string? UnansweredItemId { get; private set; }

    /// <summary>The turn's audio, lead-in first; empty unless <see cref="UnansweredItemId"/> is set and all of it was kept.</summary>
    public ReadOnlyMemory<byte> UnansweredAudio => UnansweredItemId is not null && !_overflowed ? _audio.Memory : ReadOnlyMemory<byte>.Empty;

    /// <summary>The turn being spoken so far, lead-in first (empty when not speaking or not all of it was kept).</summary>
    public ReadOnlyMemory<byte> OpenAudio => _speaking && !_overflowed ? _audio.Memory : ReadOnlyMemory<byte>.Empty;

    /// <summary>Every chunk of client audio, before the VAD looks at it (so the lead-in holds the chunk where speech starts).</summary>
    public void Append(ReadOnlySpan<byte> pcm)
    {
        if (_speaking)
        {
            if (_audio.Length + pcm.Length > maxBytes)
            {
                _overflowed = true;
                return;
            }

            _audio.Append(pcm);
            return;
        }

        if (UnansweredItemId is not null)
        {
            return; // the turn ended: what follows is not part of it
        }

        _audio.Append(pcm);
        if (_audio.Length > 2 * leadInBytes)
        {
            _audio.DropFront(_audio.Length - leadInBytes);
        }
    }

    public void SpeechStarted()
    {
        if (UnansweredItemId is not null)
        {
            // A new turn before the last one was answered: Gemini answers them together; only the newest is kept.
            _audio.DropFront(Math.Max(0, _audio.Length - leadInBytes));
            UnansweredItemId = null;
        }

        _speaking = true;
        _overflowed = false;
    }

    public void SpeechStopped(string itemId)
    {
        _speaking = false;
        UnansweredItemId = itemId;
    }

    /// <summary>A reply is done: the turn that was waiting for one has it (speech already going on is a new turn).</summary>
    public void Answered()
    {
        if (UnansweredItemId is null || _speaking)
        {
            return;
        }

        UnansweredItemId = null;
        _overflowed = false;
        _audio.Clear();
    }

    /// <summary>Turn detection changed: whatever was kept belongs to the old setting.</summary>
    public void Forget()
    {
        _speaking = false;
        _overflowed = false;
        UnansweredItemId = null;
        _audio.Clear();
    }

    public void Dispose() => _audio.Dispose();
}
