using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A session's first connection: a new session gets session.created; a checkpointed one (<see
/// cref="ProviderSessionContext.Resume"/>) is restored without it — its settings, conversation and unanswered calls
/// from the checkpoint, Gemini's side with the checkpointed handle, else rebuilt from the conversation. The fallbacks are
/// the link's, shared with connection switches: transient refusals are retried for
/// <see cref="GeminiProviderOptions.ResumeRetryWindow"/>, a refused handle means a fresh connection whose context is
/// rebuilt (clientContent, turnComplete:false).
/// </summary>
internal sealed class GeminiSessionStart(
    ProviderSessionContext context,
    GeminiSessionSettings settings,
    GeminiLink link,
    GeminiCheckpoint checkpoint,
    LocalConversation conversation,
    GeminiUserInput input,
    GeminiModelOutput output,
    GeminiFunctionCalls calls,
    GeminiClientContent content,
    ClientEventStream clientEvents,
    ILogger logger)
{
    private RestoredGeminiSession? _restored;
    private bool _resumed;

    /// <summary>
    /// Restores a checkpointed session's state and opens the first connection (outside the session's gate: a resume
    /// may retry). Throws <see cref="ProviderConnectException"/> on refusal.
    /// </summary>
    public async Task<GeminiConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var resume = context.Resume;
        _restored = resume is null ? null : Restore(resume);
        var handle = _restored?.Handle;
        if (handle is not null && resume is not null && link.Profile.ClientContentOnlyAsHistory
            && (GeminiCheckpoint.Uncovered(resume, conversation).Any() || PendingUserInput.Count(conversation) > 0))
        {
            // 3.1 cannot be given the items after the handle's state as context on a resumed connection (clientContent
            // only as initial history), nor be asked again for a reply to input its state already has without hearing
            // that input twice: a fresh connection takes the conversation as its initial history instead, and the
            // pending user input goes as realtime text with the re-ask.
            logger.LogInformation("Gemini session {SessionId}: the checkpointed handle lacks items or ends with user input this model can only take as initial history or realtime text; rebuilding",
                context.SessionId);
            handle = null;
        }

        var mode = resume is null ? "" : handle is null ? $"; resuming {conversation.Items.Count} item(s) from history" : $"; resuming {conversation.Items.Count} item(s) with the handle";
        // A new session is refused at once (the relay reports it); a resume retries transient refusals first.
        var (connection, resumed) = await link.OpenFirstAsync(settings.Applied, handle, retryTransient: resume is not null,
            historyFollows: resume is not null, mode, cancellationToken);
        _resumed = resumed;
        return connection;
    }

    /// <summary>The opened connection becomes the session's (caller holds the gate).</summary>
    public async ValueTask AttachAsync(GeminiConnection connection)
    {
        link.Attach(connection);
        if (context.Resume is not { } resume)
        {
            logger.LogInformation("Gemini session {SessionId}: connection #{Number} ready", context.SessionId, connection.Number);
            // Responses name their conversation; a resumed session keeps the name.
            checkpoint.RecordConversation(conversation.Id);
            var w = clientEvents.StartEvent("session.created"u8);
            w.WritePropertyName("session"u8);
            settings.Client.WriteTo(w);
            await clientEvents.EmitAsync();
        }
        else if (_resumed)
        {
            // Gemini restored its context from the handle; the client already has its session (no session.created).
            link.Restored(_restored!.Handle!, hasContext: conversation.Items.Count > 0, _restored.HandleInputSeq);
            RequeueUncovered(resume);
            logger.LogInformation("Gemini session {SessionId}: connection #{Number} resumed with the checkpointed handle", context.SessionId, connection.Number);
        }
        else
        {
            if (_restored?.Handle is not null)
            {
                link.ForgetHandle();
            }

            await link.SeedHistoryAsync(connection, HoldPendingUserInput(), reanswer: false);
        }
    }

    /// <summary>
    /// The conversation a rebuilt context starts from. On 3.1 the user input after the last model turn is held back
    /// from the initial history (which the model never answers) and waits for the next response.create — the re-ask a
    /// Router takeover or a mid-session fallback sends — to go as realtime text, which the model answers.
    /// </summary>
    private IReadOnlyList<ConversationItem> HoldPendingUserInput()
    {
        var items = conversation.Items;
        if (!link.Profile.ClientContentOnlyAsHistory || PendingUserInput.Count(conversation) is not (> 0 and var count))
        {
            return items;
        }

        content.Hold(PendingUserInput.Turns(conversation, items.Count - count));
        logger.LogInformation("Gemini session {SessionId}: {Count} user item(s) after the last model turn go as realtime text with the next response.create",
            context.SessionId, count);
        return items.Take(items.Count - count).ToList();
    }

    /// <summary>
    /// Restores the session config, the local conversation and the unanswered calls from the checkpoint; returns what
    /// the checkpoint says about the Gemini side (the handle worth trying, or null).
    /// </summary>
    private RestoredGeminiSession Restore(SessionResumeState resume)
    {
        var restored = checkpoint.Restore(resume, conversation, settings.Client.ExpiresAt);
        if (restored.Config is { } config)
        {
            settings.Restore(config);
            input.DetectWith(settings.Applied.TurnDetection ?? new TurnDetectionSettings());
        }

        output.AssistantAudioPresent |= restored.AssistantAudioPresent;
        // A call without an output was made on the old connection; the new Gemini session will not wait for it.
        foreach (var (callId, name) in restored.OrphanedCalls)
        {
            calls.Orphaned(callId, name);
        }

        return restored;
    }

    /// <summary>
    /// After resuming with the checkpointed handle: items the handle's state does not cover (added after it was issued)
    /// go up with the next turn, as context.
    /// </summary>
    private void RequeueUncovered(SessionResumeState resume)
    {
        content.Hold(GeminiCheckpoint.Uncovered(resume, conversation));
        if (content.Count > 0)
        {
            logger.LogInformation("Gemini session {SessionId}: {Count} item(s) after the handle's state go up with the next turn", context.SessionId, content.Count);
        }
    }
}
