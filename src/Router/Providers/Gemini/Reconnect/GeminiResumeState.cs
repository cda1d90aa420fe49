namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// What a new Gemini connection can resume from: the latest resumption handle (<see cref="GeminiResumptionHandle"/>),
/// the client messages sent after that handle's state (<see cref="TransparentReplay"/>, sent again on resume), and
/// the client frames the state covers (<see cref="HandleCoveredInput"/>). Not thread-safe: the session's gate owns it.
/// </summary>
public sealed class GeminiResumeState(GeminiProviderOptions options)
{
    private readonly GeminiResumptionHandle _handle = new();
    private readonly TransparentReplay _replay = new(options.ReplayLimit);

    /// <summary>Which client frames the handle's state covers (a resume does not send them again).</summary>
    public HandleCoveredInput CoveredInput { get; } = new();

    /// <summary>The handle to resume with now, if any.</summary>
    public string? UsableHandle => _handle.Usable;

    /// <summary>Gemini gave a handle at some point (even if it is not resumable right now).</summary>
    public bool HasHandle => _handle.Value is not null;

    /// <summary>A switch now would resume with the latest handle and can replay every client message after its state.</summary>
    public bool CanReplaySinceHandle => options.TransparentResumption && _handle.Usable is not null
        && _handle.ConsumedIndex is { } consumed && _replay.CompleteAfter(consumed);

    /// <summary>A client message went up as message <paramref name="index"/> of its connection (kept for replay in transparent mode).</summary>
    public void Sent(ReadOnlySpan<byte> json, long index)
    {
        if (options.TransparentResumption)
        {
            _replay.Remember(json, index);
        }
    }

    /// <summary>
    /// A resumable update: taken unless it predates the history seed (false then). The messages its state consumed are
    /// no longer needed for replay, and the frames they carried are covered.
    /// </summary>
    public bool Offer(string handle, long? consumedIndex)
    {
        if (!_handle.Offer(handle, consumedIndex))
        {
            return false;
        }

        _replay.Trim(consumedIndex);
        CoveredInput.Consumed(consumedIndex);
        return true;
    }

    /// <summary>An update without a usable handle: mid-generation or mid-tool-call.</summary>
    public void NotResumableNow() => _handle.NotResumableNow();

    /// <summary>The handle was refused: never try it again.</summary>
    public void Forget() => _handle.Forget();

    /// <summary>The first connection resumed a checkpointed handle (another Router's): no replay position.</summary>
    public void Restored(string handle, ulong coveredInputSeq)
    {
        _handle.Restored(handle);
        CoveredInput.Resumed(coveredInputSeq);
    }

    /// <summary>The history seed went up as client message <paramref name="index"/> (null: no seed on this connection).</summary>
    public void Seeded(long? index) => _handle.Seeded(index);

    /// <summary>turnComplete: a handle issued from now on covers a seed sent before this turn.</summary>
    public void TurnCompleted() => _handle.TurnCompleted();

    /// <summary>
    /// For a switch: the handle to resume with (null when there is nothing to resume, or when a reply was lost and
    /// without transparent replay the handle's state would lack its input) and the client messages to send again,
    /// which are the replay after the handle's state when it has a position, or all kept audio when the connection had
    /// audio but no content. The replay record starts afresh for the new connection.
    /// </summary>
    public (string? Handle, List<byte[]> Replay, long? Dropped) TakeForSwitch(bool hasContext, bool hasAudio, bool reanswer, bool serverVad)
    {
        // Audio alone (before the first turn) is state too: resume it when Gemini gave a handle (it may, right after
        // setup); without one, the fresh setup gets that audio again from the replay queue.
        var handle = hasContext || hasAudio ? _handle.Usable : null;
        var audioOnly = !hasContext && hasAudio;
        if (reanswer && handle is not null && !options.TransparentResumption)
        {
            // Without replay the handle's state lacks the input whose reply was lost: rebuild instead.
            handle = null;
        }

        // More client messages since the handle than ReplayLimit keeps: the oldest of them cannot be replayed.
        long? dropped = handle is not null && _replay.DroppedUpTo is { } upTo && !(_handle.ConsumedIndex >= upTo) ? upTo : null;
        var replay = (handle is not null && _handle.ConsumedIndex is not null) || audioOnly ? _replay.Take(serverVad) : [];
        _replay.Clear();
        _handle.ReplayTaken();
        return (handle, replay, dropped);
    }

    /// <summary>The session ended.</summary>
    public void Clear() => _replay.Clear();
}
