namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The session resumption handle Gemini gave last and whether a new connection may resume with it. Gemini marks
/// updates not resumable mid-generation or mid-tool-call. A handle issued before Gemini took a history seed sent on
/// this connection would restore a context without that history, so it is refused: covering the seed means a consumed
/// client message index at or past the seed's, or (when updates carry no index) a model turn completed after it. Not
/// thread-safe: the session's event loop owns it.
/// </summary>
public sealed class GeminiResumptionHandle
{
    private long? _seedIndex;
    private bool _turnSinceSeed;

    /// <summary>The latest accepted handle (kept while an update says "not resumable right now").</summary>
    public string? Value { get; private set; }

    /// <summary>The latest update said the state is resumable.</summary>
    public bool Resumable { get; private set; }

    /// <summary>lastConsumedClientMessageIndex of the handle's state: client messages after it are replayed on resume.</summary>
    public long? ConsumedIndex { get; private set; }

    /// <summary>The handle to resume with now, if any.</summary>
    public string? Usable => Resumable ? Value : null;

    /// <summary>A sessionResumptionUpdate without a usable handle: mid-generation or mid-tool-call.</summary>
    public void NotResumableNow() => Resumable = false;

    /// <summary>A resumable update: taken unless it predates the history seed (false then, and nothing changes).</summary>
    public bool Offer(string handle, long? consumedIndex)
    {
        if (_seedIndex is { } floor)
        {
            if (consumedIndex is { } consumed ? consumed < floor : !_turnSinceSeed)
            {
                return false;
            }

            _seedIndex = null;
            _turnSinceSeed = false;
        }

        Value = handle;
        Resumable = true;
        ConsumedIndex = consumedIndex;
        return true;
    }

    /// <summary>A connection resumed with a checkpointed handle (another Router's): usable, with no replay position.</summary>
    public void Restored(string handle)
    {
        Value = handle;
        Resumable = true;
    }

    /// <summary>The handle was refused: never try it again.</summary>
    public void Forget()
    {
        Value = null;
        Resumable = false;
        ConsumedIndex = null;
    }

    /// <summary>A switch took the replay after <see cref="ConsumedIndex"/>; the next handle brings its own.</summary>
    public void ReplayTaken() => ConsumedIndex = null;

    /// <summary>The history seed went up as client message <paramref name="index"/> (null: no seed on this connection).</summary>
    public void Seeded(long? index)
    {
        _seedIndex = index;
        if (index is not null)
        {
            _turnSinceSeed = false;
        }
    }

    /// <summary>turnComplete: a handle issued from now on covers a seed sent before this turn.</summary>
    public void TurnCompleted() => _turnSinceSeed |= _seedIndex is not null;
}
