using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// When to switch connections, and what the conversation gives the new one. A setup change (session.update) or a goAway
/// waits for a safe point (no response, no model turn, no user speech); a connection lost before one is replaced at
/// once, and so is one that drops unannounced (<see cref="GeminiDropRecovery"/>: up to a limit). The switch itself is the
/// link's (<see cref="GeminiLink"/>). Callers hold the session's gate.
/// </summary>
internal sealed class GeminiSwitchPlanner(
    GeminiSessionSettings settings,
    GeminiLink link,
    GeminiUserInput input,
    GeminiModelOutput output,
    GeminiClientContent content,
    GeminiFunctionCalls calls,
    LocalConversation conversation,
    GeminiProviderOptions options,
    TimeProvider time,
    Func<bool> ended,
    ILogger logger,
    string sessionId) : IDisposable
{
    private readonly GeminiDropRecovery _dropRecovery = new(options);
    private string _reason = "";
    private bool _fresh;
    private GeminiConnection? _goAwayOn;

    /// <summary>A switch is wanted at the next safe point.</summary>
    public bool Pending { get; private set; }

    /// <summary>The current connection announced its end (goAway): its close is a rollover, not an error.</summary>
    private bool GoAwayPending => _goAwayOn is not null && _goAwayOn == link.Current;

    /// <summary>Wants a switch at the next safe point; the reasons add up until it happens (they name it in the log).</summary>
    public void Request(string reason)
    {
        Pending = true;
        _reason = _reason.Length == 0 || _reason == reason ? reason : $"{_reason}, {reason}";
    }

    /// <summary>goAway on the current connection: roll over at the next safe point.</summary>
    public void GoAway()
    {
        _goAwayOn = link.Current;
        Request("goAway");
    }

    /// <summary>
    /// The current connection closed: true when that is a switch (it was being replaced, or it is replaced now), false
    /// when the session has to end.
    /// </summary>
    public async ValueTask<bool> ConnectionClosedAsync(GeminiConnection connection, UpstreamClose close)
    {
        if (link.Switching)
        {
            // Already being replaced (the switch retires it): nothing is lost.
            logger.LogInformation("Gemini session {SessionId}: connection #{Number} closed ({Close}) while being replaced", sessionId, connection.Number, close);
            return true;
        }

        if (GoAwayPending)
        {
            // The announced end of the connection came before a safe point: roll over now instead of failing.
            await ReplaceLostConnectionAsync(connection, close);
            return true;
        }

        if (_dropRecovery.TryRecover(close))
        {
            // A drop without goAway (network, server restart, internal error) is recovered like a late goAway close:
            // resumed with the latest handle (or rebuilt), what was in flight asked for again. A provider that keeps
            // dropping exhausts the allowance and the session ends as before.
            logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped ({Close}); reconnecting", sessionId, connection.Number, close);
            await ReplaceLostConnectionAsync(connection, close);
            return true;
        }

        return false;
    }

    /// <summary>Switches now if one is wanted and the session is at a safe point; a setup change undone meanwhile is dropped.</summary>
    public async ValueTask MaybeSwitchAsync()
    {
        if (!Pending || link.Switching || ended() || !AtSafePoint())
        {
            return;
        }

        if (_reason == "session.update" && !settings.NeedsNewSetup)
        {
            Cancel();
            return;
        }

        await BeginSwitchAsync(reanswer: false, aborted: null, fresh: _fresh);
    }

    /// <summary>
    /// Gemini closed a connection that had announced goAway (or dropped it unannounced) before the session reached a
    /// safe point: what was in flight is over (the response ends incomplete, pending tool calls become orphaned), then
    /// the connection is replaced at once — with the latest resumable handle, else by rebuilding the context — and a
    /// reply that was lost is asked for again.
    /// </summary>
    private async ValueTask ReplaceLostConnectionAsync(GeminiConnection connection, UpstreamClose close)
    {
        logger.LogWarning("Gemini session {SessionId}: connection #{Number} closed ({Close}) before a safe point; reconnecting",
            sessionId, connection.Number, close);
        var (reanswer, aborted) = await output.ConnectionLostAsync(awaitingToolResult: calls.Awaiting);

        // The lost reply answers speech: a connection rebuilt from history hears that speech again instead.
        var respeak = reanswer ? input.SpokenTurn.UnansweredItemId : null;
        content.Hold(calls.ConnectionLost().Select(text => new PendingTurn("user", text, null)));

        Request("connection closed after goAway");
        await BeginSwitchAsync(reanswer, aborted, respeak);
    }

    /// <summary>
    /// 3.1, a response.create with several user messages held: realtime text has no turns, so folded they would reach
    /// the model as one utterance and it would answer them all. Instead the context is rebuilt now, with every message
    /// but the last as initial history; the last one (still held) goes after it as realtime text, which the model answers.
    /// </summary>
    public async ValueTask RebuildWithHeldMessagesAsync()
    {
        Request("user messages as initial history");
        if (link.Switching)
        {
            // The switch under way has its seed already: the rebuild follows it, at its next safe point.
            _fresh = true;
            return;
        }

        await BeginSwitchAsync(reanswer: false, aborted: null, fresh: true);
    }

    /// <summary>The last conversation item Gemini has (client items still waiting for a response.create are not sent yet).</summary>
    public string? CoveredItemId()
    {
        var items = conversation.Items;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var id = items[i].Id;
            if (!input.IsUnsent(id) && !content.Holds(id))
            {
                return id;
            }
        }

        return null;
    }

    private bool AtSafePoint()
    {
        // A user turn in progress does not block a resume with transparent replay: the new connection gets the whole
        // turn's audio again (everything after the handle's state) and answers it as the old one would have.
        var userTurnOpen = input.TurnOpen;
        // IN_PROGRESS (3.8): the model still has output coming without new input; a switch now could lose it.
        if (output.Current is not null || output.Turn.Open || output.Turn.MoreToCome || (userTurnOpen && !(settings.Client.ServerVad && link.CanReplaySinceHandle)))
        {
            return false;
        }

        if (output.Turn.ReplyDue(time.GetUtcNow(), options.ReplyExpectedWithin))
        {
            return false;
        }

        return link.ReadyToSwitch(goingAway: GoAwayPending);
    }

    /// <summary>
    /// Starts replacing the connection: with the latest resumable handle once the conversation has content, else fresh;
    /// the conversation as it stands is kept in case the context has to be rebuilt.
    /// </summary>
    /// <param name="respeak">
    /// The spoken user item whose reply was lost: rebuilt from history, the new connection gets its audio again (and not
    /// the item as text) and answers it.
    /// </param>
    /// <param name="fresh">Rebuild the context from the conversation even when a handle could resume it.</param>
    private async ValueTask BeginSwitchAsync(bool reanswer, List<ConversationItem>? aborted, string? respeak = null, bool fresh = false)
    {
        var target = settings.Client.Clone();
        var reason = _reason;
        Cancel();
        var (handle, replay, audioOnly) = await link.BeginSwitchAsync(reanswer, target.ServerVad);
        if (fresh && handle is not null)
        {
            // Its state lacks what the rebuilt context gets: neither this Router nor a later one may resume it.
            link.ForgetHandle();
            handle = null;
        }

        output.Turn.ForgetExpectedReply();
        var userTurnOpen = input.TurnOpen;
        // What Gemini has had so far (pending client turns go up later; output of a lost reply is asked for again).
        List<ConversationItem>? seed = null;
        if (link.HasContext || fresh)
        {
            seed = [];
            foreach (var item in conversation.Items)
            {
                if (!input.IsUnsent(item.Id) && !content.Holds(item.Id) && item.Id != respeak
                    && !(reanswer && aborted is not null && aborted.Contains(item)))
                {
                    seed.Add(item);
                }
            }
        }

        // Without a handle nothing after the last one is kept for replay: the turn's own record serves instead.
        var spoken = respeak is not null ? input.SpokenTurn.UnansweredAudio
            : userTurnOpen && !replay.Exists(m => GeminiClientMessages.IsAudio(m)) ? input.SpokenTurn.OpenAudio : ReadOnlyMemory<byte>.Empty;
        var spokenTurn = spoken.IsEmpty ? null : new RespokenTurn(spoken.ToArray(), AnswerIt: respeak is not null);
        await link.StartSwitchAsync(new GeminiSwitchPlan(link.NextNumber(), reason, target, handle, replay, seed, reanswer,
            ResendAudio: userTurnOpen || audioOnly, ResendAllAudio: userTurnOpen, spokenTurn));
    }

    private void Cancel()
    {
        Pending = false;
        _fresh = false;
        _reason = "";
    }

    public void Dispose() => _dropRecovery.Dispose();
}
