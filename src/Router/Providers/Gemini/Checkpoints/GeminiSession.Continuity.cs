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
            _input.DetectWith(_applied.TurnDetection ?? new TurnDetectionSettings());
        }

        _output.AssistantAudioPresent |= restored.AssistantAudioPresent;
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
        _content.Hold(GeminiCheckpoint.Uncovered(resume, _conversation));
        if (_content.Count > 0)
        {
            _logger.LogInformation("Gemini session {SessionId}: {Count} item(s) after the handle's state go up with the next turn", _context.SessionId, _content.Count);
        }
    }

    /// <summary>The last conversation item Gemini has (client items still waiting for a response.create are not sent yet).</summary>
    private string? CoveredItemId()
    {
        var items = _conversation.Items;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var id = items[i].Id;
            if (!_input.IsUnsent(id) && !_content.Holds(id))
            {
                return id;
            }
        }

        return null;
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
        var (reanswer, aborted) = await _output.ConnectionLostAsync(awaitingToolResult: _calls.Awaiting);

        // The lost reply answers speech: a connection rebuilt from history hears that speech again instead.
        var respeak = reanswer ? _input.SpokenTurn.UnansweredItemId : null;
        _content.Hold(_calls.ConnectionLost().Select(text => new PendingTurn("user", text, null)));

        _link.RequestReconnect("connection closed after goAway");
        await BeginSwitchAsync(reanswer, aborted, respeak);
    }
}
