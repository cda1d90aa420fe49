using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Continuity: what the checkpoint records about the Gemini side (the latest resumable handle, when it was issued, and
/// the last conversation item its state covers), restoring a checkpointed session on this Router (handle first, else
/// the conversation rebuilt from history), and the fallbacks shared with connection switches: transient refusals are
/// retried for <see cref="GeminiProviderOptions.ResumeRetryWindow"/>, a refused handle means a fresh connection whose
/// context is rebuilt from the conversation (clientContent, turnComplete:false).
/// </summary>
internal sealed partial class GeminiSession
{
    /// <summary>The connection that announced goAway; its close is a rollover, not an error.</summary>
    private GeminiConnection? _goAwayOn;

    private bool GoAwayPending => _goAwayOn is not null && _goAwayOn == _connection;

    /// <summary>
    /// Restores the session config, the local conversation and the unanswered calls from the checkpoint; returns what
    /// the checkpoint says about the Gemini side (the handle worth trying, or null).
    /// </summary>
    private RestoredGeminiSession RestoreFromCheckpoint(SessionResumeState resume)
    {
        var restored = _checkpoint.Restore(resume, _conversation, _config.ExpiresAt);
        if (restored.Config is { } config)
        {
            _config = config;
            _applied = config.Clone();
            _appliedFingerprint = GeminiSetupWriter.Fingerprint(_applied, UpstreamModel, _options);
            _vad = new SpeechDetector(_applied.TurnDetection ?? new TurnDetectionSettings(), _options.Vad, 0);
        }

        _assistantAudioPresent |= restored.AssistantAudioPresent;
        // A call without an output was made on the old connection; the new Gemini session will not wait for it.
        foreach (var (callId, name) in restored.OrphanedCalls)
        {
            _calls.Orphaned(callId, name);
        }

        return restored;
    }

    /// <summary>
    /// After resuming with the checkpointed handle: items the handle's state does not cover (added after it was issued)
    /// go up with the next turn, as context.
    /// </summary>
    private void RequeueUncovered(SessionResumeState resume)
    {
        _pendingTurns.AddRange(GeminiCheckpoint.Uncovered(resume, _conversation));
        if (_pendingTurns.Count > 0)
        {
            _logger.LogInformation("Gemini session {SessionId}: {Count} item(s) after the handle's state go up with the next turn", _context.SessionId, _pendingTurns.Count);
        }
    }

    /// <summary>
    /// Rebuilds the context on a fresh connection: <paramref name="items"/> as clientContent turns (turnComplete:false,
    /// so the model does not answer), then, if a reply was lost with the old connection, asks for it again. Caller holds
    /// the gate; the connection is <see cref="_connection"/>.
    /// </summary>
    private async ValueTask SeedHistoryAsync(GeminiConnection connection, IReadOnlyList<ConversationItem> items, bool reanswer)
    {
        var w = _upstream.StartObject();
        var seeded = ConversationHistory.WriteSeed(w, items, _conversation, _options.HistoryRebuildMaxChars);
        _upstreamHasContext = seeded;
        _resumption.Seeded(seeded ? connection.NextMessageIndex : null);
        if (seeded)
        {
            var json = _upstream.Finish();
            await connection.SendAsync(json, Lifetime);
            RememberForReplay(json);
        }

        _logger.LogInformation("Gemini session {SessionId}: context rebuilt on connection #{Number} from {Items} conversation item(s){Reanswer}",
            _context.SessionId, connection.Number, seeded ? items.Count : 0, reanswer ? "; asking again for the lost reply" : "");
        if (reanswer && seeded)
        {
            await SendAnswerNowAsync(connection);
        }
    }

    /// <summary><c>clientContent{turnComplete:true}</c>: Gemini answers the latest user input in its context (a reply lost with a connection).</summary>
    private async ValueTask SendAnswerNowAsync(GeminiConnection connection)
    {
        GeminiClientMessages.AnswerNow(_upstream.StartObject());
        var json = _upstream.Finish();
        await connection.SendAsync(json, Lifetime);
        RememberForReplay(json);
        ExpectReply();
    }

    /// <summary>The handle goes to the checkpoint, with its time and the last item its state covers.</summary>
    private void RecordHandle(string handle) => _checkpoint.RecordHandle(handle, CoveredItemId(), _coveredInput.CoveredSeq);

    /// <summary>The last conversation item Gemini has (client items still waiting for a response.create are not sent yet).</summary>
    private string? CoveredItemId()
    {
        var items = _conversation.Items;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var id = items[i].Id;
            if (!_manualItems.Contains(id) && !_pendingTurns.Exists(t => t.ItemId == id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The handle was refused: never try it again (nor let a later Router try it).</summary>
    private void ForgetHandle()
    {
        _resumption.Forget();
        _checkpoint.ForgetHandle();
    }

    /// <summary>
    /// Gemini closed a connection that had announced goAway before the session reached a safe point: what was in
    /// flight is over (the response ends incomplete, pending tool calls become orphaned), then the connection is
    /// replaced at once — with the latest resumable handle, else by rebuilding the context — and a reply that was
    /// lost is asked for again. Caller holds the gate.
    /// </summary>
    private async ValueTask RecoverFromGoAwayCloseAsync(GeminiConnection connection, UpstreamClose close)
    {
        _logger.LogWarning("Gemini session {SessionId}: connection #{Number} closed ({Close}) before a safe point; reconnecting",
            _context.SessionId, connection.Number, close);
        // A reply was due (not a tool call waiting for its output: the client still sends that). A turn whose output
        // had all arrived (only turnComplete was awaited) or that the client cancelled is not asked again: that answered
        // a tool result twice when a connection closed during the answer's playback.
        var reanswer = _deferredCreate || _turn.LostWithConnection(awaitingToolResult: _calls.Awaiting);
        List<ConversationItem>? aborted = null;
        if (_responses.Current is { } response)
        {
            aborted = [.. response.Output];
            if (!response.AwaitingUsage)
            {
                reanswer = true;
                response.Status = "incomplete";
            }

            await FinishResponseAsync(response);
        }

        // The lost reply answers speech: a connection rebuilt from history hears that speech again instead.
        var respeak = reanswer ? _spokenTurn.UnansweredItemId : null;

        // A response.create accepted while the last response waited for usage: its answer is asked for again below.
        _deferredCreate = false;
        _turn.Reset();
        foreach (var text in _calls.ConnectionLost())
        {
            _pendingTurns.Add(new PendingTurn("user", text, null));
        }

        RequestReconnect("connection closed after goAway");
        await BeginSwitchAsync(reanswer, aborted, respeak);
    }

    /// <summary>
    /// A switch forced by the provider (its goAway, or a connection it dropped) is a continuity event for the session's
    /// quality record; a switch the client asked for (a setup change) is not.
    /// </summary>
    private void ReportSwitch(string reason, int number, bool resumed, TimeSpan took)
    {
        var kind = reason.Contains("goAway", StringComparison.Ordinal) ? "provider_rollover"
            : reason.Contains("closed", StringComparison.Ordinal) ? "provider_reconnect"
            : null;
        if (kind is not null)
            _context.ReportContinuity?.Invoke(kind, took, $"connection #{number} ({reason}; {(resumed ? "resumed" : "rebuilt")})");
    }
}
