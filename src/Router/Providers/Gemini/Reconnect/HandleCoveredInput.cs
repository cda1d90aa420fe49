namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Which client input a resumption handle covers, in Gateway sequence numbers. Each audio message sent upstream is
/// remembered with its client message index on the connection and the frame it carries; a handle's
/// <c>lastConsumedClientMessageIndex</c> then says up to which frame Gemini's restorable state already has the
/// audio, and that number is checkpointed with the handle. A Router that re-attaches the session with that handle
/// drops replayed audio up to it: the Gateway re-sends everything not yet safe, and Gemini would otherwise hear it twice.
/// Input sent without a known frame (held during a switch, replayed after a rollover) is never claimed, so the number
/// only ever errs low (a little audio sent twice), never high (audio lost). Used under the session's gate, except
/// <see cref="Handing"/> and <see cref="CurrentSeq"/>.
/// </summary>
public sealed class HandleCoveredInput
{
    /// <summary>Audio messages remembered per connection (≈80 s of 20 ms frames); older ones can no longer be claimed.</summary>
    public const int SentInputMemory = 4096;

    private readonly Queue<(long Index, ulong Seq)> _sentInput = new();
    private ulong? _dropUpTo;
    private long _currentSeq;

    /// <summary>The newest client frame a handle covers: checkpointed with it.</summary>
    public ulong CoveredSeq { get; private set; }

    /// <summary>Replayed frames not sent again because the resumed handle had them.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>The latest client frame handed over (0 before the first); platform-made input (seq 0) does not move it.</summary>
    public ulong CurrentSeq => (ulong)Volatile.Read(ref _currentSeq);

    /// <summary>A call into the session for client frame <paramref name="inputSeq"/> begins (once per frame, in order).</summary>
    public void Handing(ulong inputSeq)
    {
        if (inputSeq != 0) Volatile.Write(ref _currentSeq, (long)inputSeq);
    }

    /// <summary>
    /// Whether the current audio frame is covered by the handle the session resumed with. <paramref name="skippingEnded"/>
    /// is true once, on the first frame past the covered ones, when any were skipped.
    /// </summary>
    public bool SkipCurrent(out bool skippingEnded)
    {
        skippingEnded = false;
        if (_dropUpTo is not { } upTo) return false;
        var seq = CurrentSeq;
        if (seq != 0 && seq <= upTo)
        {
            DroppedFrames++;
            return true;
        }

        // Frames arrive in order: past the covered ones, nothing more is dropped.
        _dropUpTo = null;
        skippingEnded = DroppedFrames > 0;
        return false;
    }

    /// <summary>The current frame's audio went up on the session's current connection as message <paramref name="index"/>.</summary>
    public void Sent(long index)
    {
        var seq = CurrentSeq;
        if (seq == 0) return;
        _sentInput.Enqueue((index, seq));
        if (_sentInput.Count > SentInputMemory) _sentInput.Dequeue(); // its coverage can no longer be claimed: errs low
    }

    /// <summary>A resumable handle consumed client messages up to <paramref name="consumedIndex"/> on the current connection.</summary>
    public void Consumed(long? consumedIndex)
    {
        if (consumedIndex is not { } consumed) return;
        while (_sentInput.TryPeek(out var sent) && sent.Index <= consumed)
        {
            CoveredSeq = Math.Max(CoveredSeq, sent.Seq);
            _sentInput.Dequeue();
        }
    }

    /// <summary>A new connection numbers its messages from the start again.</summary>
    public void NewConnection() => _sentInput.Clear();

    /// <summary>Resumed with a checkpointed handle covering frames up to <paramref name="covered"/>: replays up to it are skipped.</summary>
    public void Resumed(ulong covered)
    {
        if (covered == 0) return;
        CoveredSeq = covered;
        _dropUpTo = covered;
    }
}
