namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The turn tracker for Gemini's side of the conversation: whether a model turn is running or was asked for, whether
/// its output is over, whether its output is to be dropped, and whether a reply to the user's speech is due. Gemini
/// has no response ids, so these are what tell a turn's output from the next one's; each transition is one Gemini
/// signal or one thing the session sent. Not thread-safe: the session's event loop owns it.
/// </summary>
public sealed class GeminiModelTurn
{
    /// <summary>A model turn is running or was asked for (cleared by turnComplete).</summary>
    public bool Open { get; private set; }

    /// <summary>Drop model output until the next turnComplete: the turn was cancelled or superseded by new input.</summary>
    public bool Discarding { get; private set; }

    /// <summary>The turn's output is over (generationComplete / interrupted) until turnComplete or new input.</summary>
    public bool OutputEnded { get; private set; }

    /// <summary>The user's speech ended and Gemini's own VAD will answer it; cleared by the first output or a request.</summary>
    public bool ReplyExpected { get; private set; }

    /// <summary>
    /// The last turnComplete said the interaction is IN_PROGRESS (3.8): more output is coming without new input (the
    /// extended-thinking answer, a tool result spoken once idle). Cleared by a turnComplete that does not say so.
    /// </summary>
    public bool MoreToCome { get; private set; }

    private DateTimeOffset _replyExpectedSince;

    /// <summary>
    /// The session asked Gemini for an answer. A <paramref name="newTurn"/> (not a tool result continuing the running
    /// turn) makes Gemini end the running turn first (interrupted → turnComplete): that turn's tail is not the answer.
    /// </summary>
    public void Asked(bool newTurn)
    {
        if (newTurn && Open)
        {
            Discarding = true;
        }

        Open = true;
        ReplyExpected = false;
        OutputEnded = false;
    }

    /// <summary>The user's speech ended at <paramref name="now"/>; Gemini's automatic VAD answers it.</summary>
    public void ExpectReply(DateTimeOffset now)
    {
        ReplyExpected = true;
        _replyExpectedSince = now;
        OutputEnded = false;
    }

    /// <summary>Whether a reply expected less than <paramref name="within"/> ago has not started (a switch now would cut it).</summary>
    public bool ReplyDue(DateTimeOffset now, TimeSpan within) => ReplyExpected && now - _replyExpectedSince < within;

    /// <summary>A connection switch takes over asking for the reply (or decided not to).</summary>
    public void ForgetExpectedReply() => ReplyExpected = false;

    /// <summary>Model output arrived: true if it belongs to the answer the client is to see.</summary>
    public bool AcceptOutput()
    {
        if (Discarding || OutputEnded)
        {
            return false;
        }

        Open = true;
        ReplyExpected = false;
        return true;
    }

    /// <summary>generationComplete or interrupted: the turn's output is over (unless it is being dropped). True if it was ours.</summary>
    public bool EndOutput()
    {
        if (Discarding)
        {
            return false;
        }

        OutputEnded = true;
        return true;
    }

    /// <summary>response.cancel: drop the rest of a running turn. False when no turn is running.</summary>
    public bool Cancel()
    {
        if (!Open)
        {
            return false;
        }

        Discarding = true;
        return true;
    }

    /// <summary>turnComplete: the turn is over (<paramref name="moreToCome"/>: its interaction is not). Returns whether its output was being dropped.</summary>
    public bool Complete(bool moreToCome = false)
    {
        var discarded = Discarding;
        Reset();
        MoreToCome = moreToCome;
        return discarded;
    }

    /// <summary>
    /// The connection closed: whether the turn it was running was owed to the client and never fully came, so the next
    /// connection must be asked again. A turn waiting on a tool result is not (the client still sends it), nor one
    /// whose output had all arrived or that the client cancelled.
    /// </summary>
    public bool LostWithConnection(bool awaitingToolResult) =>
        ReplyExpected || (Open && !awaitingToolResult && !OutputEnded && !Discarding) || (MoreToCome && !awaitingToolResult);

    /// <summary>A new connection: no turn of the old one carries over.</summary>
    public void Reset()
    {
        Open = false;
        Discarding = false;
        OutputEnded = false;
        ReplyExpected = false;
        MoreToCome = false;
    }
}
