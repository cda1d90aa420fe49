using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Instances;
using VoicePlatform.Router.Routing.Sessions;
using VoicePlatform.Router.Tools;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Builds, in one place, the chain a session's provider events go through on their way to the Gateway. From the
/// provider side: <see cref="AcknowledgingSink"/> (client input acknowledged once its effects are safe) →
/// <see cref="SessionCheckpointer"/> (the conversation checkpointed to Redis; absent without Redis) → server tools
/// (platform-run calls carried out, their events hidden) → <see cref="RoutedSessionAnnouncer"/> (a new session's
/// session.created waits until the connect is settled) → <see cref="SessionEventRecorder"/> (session events from
/// exactly what the client gets; absent when events are off) → <see cref="GrpcSessionSink"/>. The checkpoint records
/// what the provider has (merged tools); the client sees what the tools layer shows it.
/// </summary>
public sealed class SessionOutputChain(
    SessionStateStore state,
    RouterInstance instance,
    IOptions<ContinuityOptions> continuity,
    ServerTools serverTools,
    SessionEvents events,
    TimeProvider time,
    ILogger<SessionOutputChain> logger)
{
    /// <summary>The chain for <paramref name="start"/>, or why the session is refused (its lease is held elsewhere, its state is gone).</summary>
    public async Task<SessionOutputs> OpenAsync(SessionStart start, CatalogModel model, GrpcSessionSink sink, SessionSnapshot? snapshot,
        ResponseRequests requests)
    {
        var recorder = events.Open(start, model, sink, snapshot);
        ISessionEventSink toClient = recorder is null ? sink : recorder;
        var announcer = start.Resume ? null : new RoutedSessionAnnouncer(toClient);
        var tools = serverTools.Open(start.SessionId, start.TenantId, start.Resume, announcer ?? toClient);
        var acknowledgement = new InputAcknowledgement(time);
        var (checkpointer, resume, refusal) = await OpenContinuityAsync(start, model, tools, snapshot, acknowledgement);
        if (checkpointer is not null) recorder?.AnswerAs(new ResponseAttempt(checkpointer.Attempt, requests));
        recorder?.ResponsesVoided(start.ReaskedSeqs, start.CutResponses); // what earlier attempts recorded for them is not what the client saw
        var output = new AcknowledgingSink(checkpointer is null ? tools : checkpointer, acknowledgement);
        return new SessionOutputs(recorder, announcer, tools, checkpointer, resume, acknowledgement, output, refusal);
    }

    /// <summary>
    /// Takes the lease and prepares checkpoints. A new session without Redis runs without continuity (logged); a
    /// re-attach needs its checkpoint, so without one it is refused.
    /// </summary>
    private async Task<(SessionCheckpointer? Checkpointer, SessionResumeState? Resume, (string Code, string Message)? Refusal)> OpenContinuityAsync(
        SessionStart start, CatalogModel model, ISessionEventSink sink, SessionSnapshot? snapshot, InputAcknowledgement acknowledgement)
    {
        try
        {
            SessionResumeState? resume = null;
            if (start.Resume && snapshot is not null)
            {
                if (snapshot.Field("tenant") is { } tenant && tenant != start.TenantId)
                    return (null, null, ("session_not_found", $"Session '{start.SessionId}' does not exist or has expired."));
                resume = SessionSnapshots.WithoutUnseenTail(SessionSnapshots.ToResumeState(snapshot), start.UnseenItemIds, out var dropped);
                if (dropped > 0)
                    logger.LogInformation("Session {SessionId}: {Dropped} checkpointed item(s) from a replayed turn the client never saw were dropped; the turn is applied again",
                        start.SessionId, dropped);
                resume = SessionSnapshots.WithoutUnseenAnswer(resume, start.SeenItemIds, out var unseenAnswer);
                if (unseenAnswer > 0)
                    logger.LogInformation("Session {SessionId}: {Dropped} checkpointed answer item(s) the client never saw were dropped; the request is answered again",
                        start.SessionId, unseenAnswer);
                // Input positions count frames of one client connection; a reconnected client numbers afresh.
                if (start.InputStream.Length == 0 || snapshot.Field(SessionSnapshots.InputStreamField) != start.InputStream)
                    resume = SessionSnapshots.WithoutInputPositions(resume);
            }

            var lease = await state.TryAcquireAsync(start.SessionId, instance.Id, takeOver: start.Resume);
            if (lease is null)
                return (null, null, ("session_in_use", $"Session '{start.SessionId}' is already being served."));

            var fields = new Dictionary<string, string>
            {
                ["tenant"] = start.TenantId,
                ["model"] = start.Model,
                ["provider"] = model.Provider,
                ["owner"] = instance.Id,
            };
            if (!start.Resume) fields["created_at"] = time.GetUtcNow().ToString("O");
            fields[SessionSnapshots.InputStreamField] = start.InputStream;
            if (resume is { CoveredInputSeq: 0 }) fields[SessionSnapshots.InputSeqField] = ""; // a position in another numbering
            // A commit's audio stays replayable until the checkpoint holds the item it made.
            var checkpointer = new SessionCheckpointer(sink, state, lease, continuity.Value, fields, resume, logger, time, acknowledgement);
            acknowledgement.CommitsWaitForCheckpoint();
            return (checkpointer, resume, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException && !start.Resume)
        {
            logger.LogWarning("Session state store unavailable ({Error}); session {SessionId} runs without continuity", e.Message, start.SessionId);
            return (null, null, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Session state store unavailable ({Error}); cannot resume {SessionId}", e.Message, start.SessionId);
            return (null, null, ("session_state_unavailable", "The session's state could not be loaded; try again shortly."));
        }
    }
}
