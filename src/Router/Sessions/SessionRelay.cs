using Grpc.Core;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Instances;
using VoicePlatform.Router.Routing.Fallback;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Routing.Sessions;
using VoicePlatform.Router.Tools;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// Runs one session stream: resolves the model, takes the session's lease, opens (or, on re-attach, restores) the
/// provider session through its connector with checkpoints to Redis, then relays canonical client frames to it until
/// the Gateway or the provider ends the session, or another Router takes it over.
/// </summary>
public sealed class SessionRelay(
    SessionTargets targets,
    ConnectFallback fallback,
    MidSessionFallback midSession,
    IEnumerable<IProviderConnector> connectors,
    RouterInstance instance,
    RouterDrain drain,
    SessionStateStore state,
    IOptions<ContinuityOptions> continuity,
    SessionMetrics metrics,
    SessionOutputChain outputs,
    ModelDirectory catalog,
    TimeProvider time,
    ILogger<SessionRelay> logger)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, IProviderConnector> _connectors =
        connectors.ToDictionary(c => c.Provider, StringComparer.OrdinalIgnoreCase);

    public async Task RunAsync(IAsyncStreamReader<SessionClientFrame> clientFrames, IServerStreamWriter<SessionServerFrame> responses,
        CancellationToken callCancelled)
    {
        using var startExpiry = new CancellationTokenSource(StartTimeout, time);
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(callCancelled, startExpiry.Token);
        if (!await clientFrames.MoveNext(startTimeout.Token) || clientFrames.Current.FrameCase != SessionClientFrame.FrameOneofCase.Start)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a session must be 'start'."));

        var start = clientFrames.Current.Start;
        var received = time.GetTimestamp(); // for the start-up breakdown logged below (failover diagnostics)
        if (drain.IsDraining)
            throw new RpcException(new Status(StatusCode.Unavailable, "This Router is draining; use another instance."));
        var requests = new ResponseRequests(time);
        var sink = new GrpcSessionSink(responses, callCancelled, requests);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = start.SessionId, ["TenantId"] = start.TenantId });

        // A resumed session's checkpoint is read once: for its routing, the events' timeline and the resume itself.
        var (snapshot, stateUnavailable) = start.Resume ? await LoadCheckpointAsync(start.SessionId) : (null, false);
        if (start.Resume && snapshot is null)
        {
            var (code, message) = stateUnavailable
                ? ("session_state_unavailable", "The session's state could not be loaded; try again shortly.")
                : ("session_not_found", $"Session '{start.SessionId}' does not exist or has expired.");
            await RefuseAsync(sink, RealtimeErrorEvent.InvalidRequest, code, message, RealtimeCloseCodes.PolicyViolation, callCancelled);
            return;
        }
        RouteResolution? plan;
        try
        {
            plan = await targets.PlanAsync(start, snapshot, callCancelled);
        }
        catch (Npgsql.NpgsqlException e)
        {
            logger.LogError("The routes of tenant {TenantId} could not be read: {Error}", start.TenantId, e.Message);
            await RefuseAsync(sink, RealtimeErrorEvent.ServerError, "routing_unavailable",
                "The model's route could not be resolved right now; try again shortly.", RealtimeCloseCodes.InternalError, callCancelled);
            return;
        }
        var steps = plan?.Steps.Where(step => _connectors.ContainsKey(step.Model.Provider)).ToList() ?? [];
        if (plan is null || steps.Count == 0)
        {
            await RefuseAsync(sink, RealtimeErrorEvent.InvalidRequest, "model_not_found", targets.NotFoundMessage(start.Model), RealtimeCloseCodes.PolicyViolation, callCancelled);
            return;
        }
        var model = steps[0].Model; // until a step of the chain answers

        var opened = await outputs.OpenAsync(start, model, sink, snapshot, requests);
        var restored = time.GetTimestamp();
        if (opened.Refusal is { } refusal)
        {
            await RefuseAsync(sink, RealtimeErrorEvent.InvalidRequest, refusal.Code, refusal.Message, RealtimeCloseCodes.PolicyViolation, callCancelled);
            return;
        }
        var (recorder, announcer, tools, checkpointer, resume, acknowledgement, output) =
            (opened.Recorder, opened.Announcer, opened.Tools, opened.Checkpointer, opened.Resume, opened.Acknowledgement, opened.Output);

        instance.SessionStarted();
        metrics.SessionStarted(model.Provider);
        var started = time.GetTimestamp();
        var endReason = "client_closed";
        var connected = false;
        try
        {
            IProviderSession session;
            ChainConnection chain;
            ProviderOpener open = (step, resumeFrom, to, token) => _connectors[step.Model.Provider].ConnectAsync(
                new ProviderSessionContext(start.SessionId, start.TenantId, start.Model, step.Model)
                {
                    Checkpoints = checkpointer ?? SessionCheckpoints.None,
                    Resume = resumeFrom,
                    ReportContinuity = recorder is null ? null : recorder.ContinuityObserved,
                    Time = time,
                }, to, token);
            var moving = midSession.Open(steps, open, output, checkpointer, requests, (target, failure, waited) =>
            {
                metrics.ProviderChanged(model.Provider, target.Model.Provider);
                recorder?.ContinuityObserved("provider_fallback", waited, $"{model.Id}>{target.Model.Id}:{failure.Code}");
                model = target.Model;
                checkpointer!.SetSessionFields(SessionRouting.From(plan, target).ToCheckpointFields(model.Provider));
                recorder?.ModelChanged(model);
            });
            try
            {
                // A resumed session reconnects to the model it is on; the rest of its chain is for a mid-session fallback.
                chain = await fallback.ConnectAsync(resume is null ? steps : steps[..1], (step, token) =>
                {
                    announcer?.Discard(); // what a step that failed emitted is not the session's
                    return open(step, resume, moving?.NextSink(step) ?? output, token);
                }, callCancelled);
                session = chain.Session;
                if (moving is not null)
                {
                    moving.Begin(session, chain.Target);
                    session = moving;
                }
            }
            catch (ProviderConnectException refused)
            {
                if (moving is not null) await moving.DisposeAsync();
                logger.LogWarning("Provider refused session for {Model}: {Code} {Message}", start.Model, refused.Code, refused.Message);
                endReason = "provider_refused";
                await sink.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, refused.Code, refused.Message)), callCancelled);
                await sink.EndAsync(RealtimeCloseCodes.InternalError, refused.Code, callCancelled);
                return;
            }

            connected = true;
            var providerReady = time.GetTimestamp();
            if (chain.Target.Model != model) metrics.ProviderChanged(model.Provider, chain.Target.Model.Provider);
            model = chain.Target.Model;
            var routing = SessionRouting.From(plan, chain.Target);
            checkpointer?.SetSessionFields(routing.ToCheckpointFields(model.Provider));
            if (resume is null) recorder?.SessionStarted(model, routing);
            session = await tools.AttachAsync(session, resume, callCancelled);
            if (announcer is not null) await AnnounceAsync(announcer, session, routing, chain, callCancelled);
            if (resume is null && ModelDeprecation.For(catalog, start.Model) is { } deprecated) await output.EventAsync(deprecated, callCancelled);
            var (stateTime, providerTime, toolsTime) =
                (time.GetElapsedTime(received, restored), time.GetElapsedTime(restored, providerReady), time.GetElapsedTime(providerReady));
            metrics.SetupCompleted(resume is not null, stateTime, providerTime, toolsTime);
            logger.LogInformation("Session {Mode} on {Provider} model {Model} in {TotalMs:0} ms (lease and state {StateMs:0} ms, provider {ProviderMs:0} ms, tools {ToolsMs:0} ms)",
                resume is null ? "started" : "resumed", model.Provider, model.UpstreamModel, (stateTime + providerTime + toolsTime).TotalMilliseconds,
                stateTime.TotalMilliseconds, providerTime.TotalMilliseconds, toolsTime.TotalMilliseconds);
            await using (session)
            {
                using var reading = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
                var turns = new ReplayedTurns(requests, ClientFramePump.RestoredItemIds(resume), logger, resume?.CoveredInputSeq ?? 0);
                if (resume is not null) acknowledgement.CoveredByCheckpoint(resume.CoveredInputSeq);
                if (resume is not null && UnansweredTurn.NeedsAnswer(resume, start))
                {
                    logger.LogInformation("Session {SessionId}: the restored conversation ends with a spoken turn nobody answered; asking for the answer", start.SessionId);
                    await session.SendEventAsync(0, UnansweredTurn.ResponseCreate, callCancelled);
                }
                var relay = ClientFramePump.RelayAsync(clientFrames, session, acknowledgement, turns, output, logger, reading.Token, callCancelled);
                using var acking = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
                var acks = ClientFramePump.AcknowledgeAsync(sink, acknowledgement, time, continuity.Value.AckInterval,
                    continuity.Value.AudioAckInterval, acking.Token);
                var leaseLost = checkpointer?.LeaseLost ?? Task.Delay(Timeout.InfiniteTimeSpan, time, callCancelled);
                var draining = Task.Delay(Timeout.InfiniteTimeSpan, time, drain.Draining);
                var finished = await Task.WhenAny(relay, session.Completion, leaseLost, draining);
                if (finished == session.Completion)
                {
                    endReason = "provider_closed";
                }
                else if (finished == draining && checkpointer is not null)
                {
                    // Stop taking client input (it stays unacknowledged at the Gateway, for the next Router), let a
                    // response in progress finish so nothing the client asked for is lost, then hand off below.
                    endReason = "drained";
                    await reading.CancelAsync();
                    await relay.ContinueWith(static _ => { }, TaskScheduler.Default);
                    // A response asked for but not started yet counts as in progress: handing off now would cut it.
                    var drainStarted = time.GetTimestamp();
                    await requests.WaitUntilNoneAsync(continuity.Value.DrainTimeout, callCancelled);
                    var left = continuity.Value.DrainTimeout - time.GetElapsedTime(drainStarted);
                    await acknowledgement.WaitForIdleAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, callCancelled);
                    sink.BeginHandOff();
                }
                else if (finished == draining)
                {
                    await relay; // no checkpoint to hand off with (Redis was down): serve it to the end
                }
                else if (finished == leaseLost)
                {
                    // Another Router drives the session now; this copy must stop touching it (and the provider).
                    endReason = "moved";
                    // Not a hand-off: the Gateway must not re-attach (that would take it back); this connection is stale.
                    await sink.SupersededAsync();
                }
                else
                {
                    // Surfaces client-side stream failures; a Gateway that ended the session on purpose said why.
                    if (await relay is { } closeReason) endReason = closeReason;
                }
                await acking.CancelAsync();
                await acks;
            }

            if (endReason == "drained")
            {
                // Hand off in this order: provider connection closed (Gemini refuses a resume while it is open), final
                // checkpoint written and lease released, then the hand-off end that makes the Gateway re-attach elsewhere
                // and replay the input not yet safe.
                await checkpointer!.DisposeAsync();
                checkpointer = null;
                await sink.HandOffAsync("router_draining", acknowledgement.SafeSeq(), acknowledgement.LastHanded);
            }
        }
        catch (Exception e) when (callCancelled.IsCancellationRequested && e is OperationCanceledException or IOException or RpcException)
        {
            endReason = "gateway_gone";
        }
        catch
        {
            endReason = "error";
            throw;
        }
        finally
        {
            // A hand-off (drain, lease lost) is not the end: the session goes on at another Router.
            if ((connected || resume is not null) && endReason is not ("drained" or "moved")) recorder?.SessionEnded(endReason);
            await sink.FlushAndCompleteAsync();
            if (checkpointer is not null) await checkpointer.DisposeAsync();
            instance.SessionEnded();
            metrics.SessionEnded(model.Provider, endReason, time.GetElapsedTime(started));
            logger.LogInformation("Session ended ({Reason}) after {Duration}", endReason, time.GetElapsedTime(started));
        }
    }

    /// <summary>A re-attaching session's checkpoint (null if it has none; unavailable when Redis could not be read).</summary>
    private async Task<(SessionSnapshot? Snapshot, bool Unavailable)> LoadCheckpointAsync(string sessionId)
    {
        try
        {
            return (await state.LoadAsync(sessionId), false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning("Session state store unavailable ({Error}); cannot resume {SessionId}", e.Message, sessionId);
            return (null, true);
        }
    }

    /// <summary>
    /// Tells the client how the session was routed (session.created's <c>routing</c> extension) and applies the
    /// target's session defaults before any client event, as if the client had sent them first.
    /// </summary>
    private async Task AnnounceAsync(RoutedSessionAnnouncer announcer, IProviderSession session, SessionRouting routing, ChainConnection chain,
        CancellationToken cancellationToken)
    {
        var defaults = RouteSessionDefaults.ToUpdate(chain.Target.SessionDefaults);
        await announcer.AnnounceAsync(routing.ToExtension(chain.PassedOver), defaults is not null, cancellationToken);
        if (defaults is null) return;
        try
        {
            await session.SendEventAsync(0, defaults, cancellationToken);
        }
        catch (Exception e) when (ClientFramePump.IsDefectInHandling(e, cancellationToken))
        {
            logger.LogError(e, "The route's session defaults could not be applied");
            await announcer.ReleaseAsync();
        }
    }

    private static async Task RefuseAsync(GrpcSessionSink sink, string type, string code, string message, int closeStatus, CancellationToken cancellationToken)
    {
        await sink.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(type, code, message, code == "model_not_found" ? "model" : null)), cancellationToken);
        await sink.EndAsync(closeStatus, code, cancellationToken);
        await sink.FlushAndCompleteAsync();
    }
}
