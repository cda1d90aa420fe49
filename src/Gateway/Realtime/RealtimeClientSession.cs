using System.Net.WebSockets;
using Grpc.Core;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// One client connection on the OpenAI Realtime front-end. The client loop turns client messages into canonical
/// frames in a <see cref="ClientFrameBuffer"/>; the Router loop attaches the session to a Router stream, sends it the
/// frames the Router has not acknowledged and relays what comes back. When a Router dies or lets the session go, the
/// session is re-attached to another one (which restores it from Redis) and the unacknowledged frames are replayed,
/// so the client only notices a short pause. The client socket has one writer at a time. The recording tap sees the
/// input audio as forwarded and the output audio as sent to the client.
/// </summary>
public sealed partial class RealtimeClientSession(
    WebSocket socket,
    RealtimeRouter.RealtimeRouterClient router,
    RealtimeOptions options,
    SessionStart start,
    SessionModel model,
    RealtimeMetrics metrics,
    SessionResumeTokens resumeTokens,
    ResumableSession? resumedFrom,
    GatewayDrain drain,
    ClientSessionLimits limits,
    SessionRecordingTap recording,
    Quality.SessionQualityMeter quality,
    ILogger logger)
{

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ClientAudioFormats _formats = new();
    private readonly ClientFrameBuffer _frames = new(options.ReattachBufferBytes, limits.Clock);
    private readonly Failover.TurnLedger _turns = new(); // what a Router change must neither lose nor double
    private bool _sessionCreated = resumedFrom is not null;
    private bool _resumable;
    private (VoicePlatform.Audio.AudioFormat, VoicePlatform.Audio.AudioFormat, bool?) _persistedChoices =
        (VoicePlatform.Audio.AudioFormat.Pcm16At24kHz, VoicePlatform.Audio.AudioFormat.Pcm16At24kHz, null);
    private int _framesThisAttachment; // frames received from the current Router stream (did it work at all?)
    private long _brokeAt;             // when the last Router stream broke (timestamp on limits.Clock); 0 once audio flows again
    private ulong _handedSeq;          // highest frame a Router reported handed to the provider
    private string? _openResponseId;   // response.created seen, response.done not yet
    private int _closing;
    private bool _pinnedPending;                   // the ephemeral key's configuration is applied, its session.updated not yet seen
    private ReadOnlyMemory<byte>? _heldCreated;    // session.created, held until then (it must show the pinned configuration)
    private string? _limitEndReason;               // a limit ends the session after the current response
    private int _limitEnded;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var expiry = new CancellationTokenSource(options.MaxSessionDuration, limits.Clock);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted, expiry.Token, _reclaimed.Token);
        var outbound = new ServerEventTranslator(_formats, start.SessionId, recording.Switch);
        if (resumedFrom is not null) await ResumeClientAsync(resumedFrom);
        else if (limits.PinnedSessionJson is { } pinned) ApplyPinnedSession(pinned);
        using var watch = limits.Watch.Watch(limits.TenantId, start.SessionId, limits.MaxSpendUsd, OnLimitReachedAsync);
        using var idle = StartIdleTimer();
        using var revocation = EndWhenKeyRevoked();
        await using var durationCap = limits.MaxDuration is { } longest
            ? limits.Clock.CreateTimer(_ => _ = OnLimitReachedAsync(new SessionLimitReached("session_duration", "session_duration_exceeded",
                $"This session reached its maximum duration of {longest.TotalSeconds:0} seconds. The session ends after the current response.", "session_duration_cap")),
                null, longest, Timeout.InfiniteTimeSpan)
            : null;
        var fromClient = RelayClientToBufferAsync(lifetime.Token);
        using var draining = drain.Draining.Register(() => _ = DrainAsync());
        try
        {
            await RunRouterAttachmentsAsync(outbound, fromClient, lifetime.Token);
            // We closed (or the client did): give the client's close reply a moment to arrive for a clean handshake.
            await Task.WhenAny(fromClient, Task.Delay(TimeSpan.FromSeconds(2), limits.Clock, lifetime.Token));
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            logger.LogInformation("Session {SessionId} hit the maximum duration of {Duration}", start.SessionId, options.MaxSessionDuration);
            quality.Ending(Quality.QualityEndReasons.Expired);
            await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, "session_expired",
                $"Your session hit the maximum duration of {options.MaxSessionDuration.TotalMinutes:0} minutes.").ToJson(), CancellationToken.None);
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "session_expired");
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or WebSocketException or IOException)
        {
            logger.LogDebug(e, "Session {SessionId} ended abruptly", start.SessionId);
        }
        catch (Exception e)
        {
            // A defect, not a client or network problem: tell the client properly instead of dropping the socket.
            logger.LogError(e, "Session {SessionId} failed", start.SessionId);
            quality.Ending(Quality.QualityEndReasons.PlatformError);
            await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "internal_error",
                "The server had an error while processing your session. Please reconnect.").ToJson(), CancellationToken.None);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "internal_error");
        }
        finally
        {
            await lifetime.CancelAsync();
            await fromClient.ContinueWith(static _ => { }, TaskScheduler.Default); // observe
            await KeepResumableAsync();
            await recording.CompleteAsync(); // this Gateway's part of the session is over: store and announce the WAV
            quality.Complete();              // and its quality facts settled and queued for the outbox
        }
    }

    /// <summary>
    /// The ephemeral key's configuration goes first, as if the client had sent it: the Router applies it like any
    /// session.update, and the client sees the result as its session.created (see <see cref="ReadRouterAsync"/>).
    /// </summary>
    private void ApplyPinnedSession(string sessionJson)
    {
        var update = new System.Text.Json.Nodes.JsonObject { ["type"] = "session.update", ["session"] = System.Text.Json.Nodes.JsonNode.Parse(sessionJson) };
        var translation = new ClientEventTranslator(_formats, recording.Switch, model).Translate(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(update));
        if (translation.Frame is { } frame && _frames.TryAppend(frame)) _pinnedPending = true;
        else logger.LogWarning("Session {SessionId}: the ephemeral key's configuration was not applied ({Error})", start.SessionId, translation.Error?.Message);
    }

    /// <summary>
    /// A budget or cap was reached: tell the client (documented extension event <c>session.limit_reached</c>); if the
    /// limit ends the session, end it once the current response is done (or now if none is), within a bound.
    /// </summary>
    private async Task OnLimitReachedAsync(SessionLimitReached limit)
    {
        var notice = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "session.limit_reached",
            ["event_id"] = RealtimeIds.New("event"),
            ["limit"] = limit.Limit,
            ["code"] = limit.Code,
            ["message"] = limit.Message,
            ["session_ends"] = limit.EndsSession,
        };
        if (limit.EndsSession && Interlocked.CompareExchange(ref _limitEndReason, limit.EndReason, null) is not null) return; // ending already
        await SendAsync(VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(notice), CancellationToken.None);
        if (!limit.EndsSession) return;
        if (Volatile.Read(ref _openResponseId) is null)
        {
            await EndForLimitAsync();
            return;
        }
        _ = EndAfterGraceAsync(); // the response's response.done ends it; one that never finishes must not keep it alive
    }

    private async Task EndAfterGraceAsync()
    {
        await Task.Delay(LimitResponseGrace, limits.Clock);
        await EndForLimitAsync();
    }

    private static readonly TimeSpan LimitResponseGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The limit's reason once a limit is ending the session: the Router, told first, may finish its stream before the
    /// limit's own close goes out, and the client must still learn why.
    /// </summary>
    private string LimitReasonOr(string reason) => Volatile.Read(ref _limitEnded) == 1 && _limitEndReason is { } limit ? limit : reason;

    /// <summary>Tells the Router why (it records the end reason), then closes the client normally.</summary>
    private async Task EndForLimitAsync()
    {
        if (_limitEndReason is not { } reason || Interlocked.Exchange(ref _limitEnded, 1) == 1) return;
        logger.LogInformation("Session {SessionId} ends: {Reason}", start.SessionId, reason);
        quality.Ending(Quality.QualityEndReasons.Limit);
        _frames.TryAppend(new SessionClientFrame { Close = new SessionClose { Reason = reason } });
        await CloseAsync(WebSocketCloseStatus.NormalClosure, reason);
    }

    /// <summary>
    /// A response was streaming when its Router went away: the next Router knows nothing of it, so close it for the
    /// client as the protocol does for a response that could not finish (<c>response.done</c>, status <c>failed</c>).
    /// </summary>
    private async Task FailOpenResponseAsync(string reason)
    {
        if (_openResponseId is not { } responseId) return;
        _openResponseId = null;
        var done = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "response.done",
            ["event_id"] = RealtimeIds.New("event"),
            ["response"] = new System.Text.Json.Nodes.JsonObject
            {
                ["object"] = "realtime.response",
                ["id"] = responseId,
                ["status"] = "failed",
                ["status_details"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "failed",
                    ["error"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "server_error", ["code"] = "router_failover" },
                },
                ["output"] = new System.Text.Json.Nodes.JsonArray(),
                ["usage"] = null,
            },
        };
        logger.LogInformation("Session {SessionId}: response {ResponseId} cut off by a Router change ({Reason})", start.SessionId, responseId, reason);
        await SendAsync(VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(done), CancellationToken.None);
    }

    /// <summary>
    /// This Gateway is shutting down: tell the client (documented extension event), give it the grace period, then
    /// close cleanly so it resumes on another instance; the Router keeps the session's state for the resume window.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            var notice = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "session.draining",
                ["event_id"] = RealtimeIds.New("event"),
                ["session_id"] = start.SessionId,
                ["closes_in_ms"] = (int)options.DrainGracePeriod.TotalMilliseconds,
                ["resumable"] = _resumable,
            };
            await SendAsync(VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(notice), CancellationToken.None);
            quality.Ending(Quality.QualityEndReasons.Drained);
            await Task.Delay(options.DrainGracePeriod, limits.Clock);
            await CloseAsync((WebSocketCloseStatus)RealtimeCloseCodes.ServiceRestart, "server_restarting");
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            logger.LogDebug(e, "Drain notice for session {SessionId} failed", start.SessionId);
        }
    }

    /// <summary>A client came back with its resume token: restore its formats and tell it (documented extension event).</summary>
    private async Task ResumeClientAsync(ResumableSession resumed)
    {
        if (resumed.InputFormat is { } input) _formats.SetInput(input);
        if (resumed.OutputFormat is { } output) _formats.SetOutput(output);
        _resumable = true;
        if (resumed.Dimensions is { } dimensions) quality.Routed(dimensions, []);
        quality.ClientResumed(resumed.DetachedAt is { } detachedAt ? limits.Clock.GetUtcNow() - detachedAt : null);
        await TryRedisAsync(() => resumeTokens.AttachAsync(start.SessionId, options.MaxSessionDuration));
        var resumedEvent = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "session.resumed",
            ["event_id"] = RealtimeIds.New("event"),
            ["session_id"] = start.SessionId,
        };
        await SendAsync(VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(resumedEvent), CancellationToken.None);
    }

    /// <summary>session.created carries the resume token (documented extension field <c>resume</c>).</summary>
    private async Task<ReadOnlyMemory<byte>> AddResumeTokenAsync(ReadOnlyMemory<byte> sessionCreated)
    {
        string? token = null;
        await TryRedisAsync(async () => token = await resumeTokens.IssueAsync(start.SessionId, start.TenantId, start.Model, options.MaxSessionDuration));
        if (token is null) return sessionCreated;
        _resumable = true;
        await TryRedisAsync(() => resumeTokens.SaveQualityDimensionsAsync(start.SessionId, quality.Dimensions));
        var node = System.Text.Json.Nodes.JsonNode.Parse(sessionCreated.Span)!.AsObject();
        node["resume"] = new System.Text.Json.Nodes.JsonObject
        {
            ["session_id"] = start.SessionId,
            ["token"] = token,
            ["window_seconds"] = (int)options.ResumeWindow.TotalSeconds,
        };
        return VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(node);
    }

    private async Task KeepResumableAsync()
    {
        if (_resumable) await TryRedisAsync(() => resumeTokens.DetachAsync(start.SessionId, _formats, recording.Switch.Overridden, options.ResumeWindow, limits.Clock.GetUtcNow()));
    }

    // Resume is a convenience: without Redis the session still runs, it just cannot be resumed.
    private async Task TryRedisAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogWarning("Session {SessionId}: resume record unavailable ({Error})", start.SessionId, e.Message);
        }
    }

    /// <summary>Attaches the session to Routers until it ends: the first attach creates it, later ones resume it.</summary>
    private async Task RunRouterAttachmentsAsync(ServerEventTranslator outbound, Task fromClient, CancellationToken cancellationToken)
    {
        DateTimeOffset? detachedSince = null;
        var attempt = 0;
        var quickRetries = 0;
        while (true)
        {
            var attemptStarted = limits.Clock.GetTimestamp();
            var outcome = await AttachOnceAsync(outbound, fromClient, cancellationToken);
            if (outcome.Ended) return;
            if (_brokeAt == 0 && _sessionCreated) _brokeAt = limits.Clock.GetTimestamp();

            if (fromClient.IsCompleted)
            {
                // The client left while the session had no Router: nothing to resume for; answer its close handshake.
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (outcome.Progressed) (detachedSince, attempt, quickRetries) = (null, 0, 0); // that Router worked for a while: a fresh failure
            detachedSince ??= limits.Clock.GetUtcNow();
            if (limits.Clock.GetUtcNow() - detachedSince > options.ReattachTimeout)
            {
                logger.LogWarning("Session {SessionId} found no Router within {Timeout}: {Reason}", start.SessionId, options.ReattachTimeout, outcome.Reason);
                quality.Ending(Quality.QualityEndReasons.PlatformError);
                await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "router_unavailable",
                    "The session's routing service became unavailable.").ToJson(), CancellationToken.None);
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "router_unavailable");
                return;
            }
            if (_turns.Cut(_openResponseId) is { } reask) _frames.TryAppend(reask, _turns.Track);
            await FailOpenResponseAsync(outcome.Reason);
            metrics.Reattached();
            logger.LogInformation("Session {SessionId} re-attaching to a Router ({Reason})", start.SessionId, outcome.Reason);
            // Service discovery picks a Router per call and does not know one died: an attempt refused at once (its
            // connection was refused) most likely hit the dead instance, and the next pick may well be a live one, so
            // retry straight away a few times before backing off.
            if (!outcome.Progressed && limits.Clock.GetElapsedTime(attemptStarted) < QuickFailure && quickRetries++ < MaxQuickRetries)
                continue;
            attempt++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(25 * attempt, 250)), limits.Clock, cancellationToken);
        }
    }

    private static readonly TimeSpan QuickFailure = TimeSpan.FromMilliseconds(50);
    private const int MaxQuickRetries = 8;

    private readonly record struct AttachOutcome(bool Ended, string Reason, bool Progressed);

    /// <summary>One Router stream: start (or resume), send unacknowledged frames, relay back until it ends or breaks.</summary>
    private async Task<AttachOutcome> AttachOnceAsync(ServerEventTranslator outbound, Task fromClient, CancellationToken cancellationToken)
    {
        using var attachment = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = router.RunSession(cancellationToken: attachment.Token);
        var resume = _sessionCreated;
        _framesThisAttachment = 0;
        Task writer = Task.CompletedTask;
        try
        {
            var session = new SessionStart(start) { Resume = resume };
            if (resume) session.UnseenItemIds.Add(_turns.UnseenItemIds());
            if (resume) session.ReaskedSeqs.Add(_turns.ReaskedSeqs());
            if (resume) session.CutResponses.Add(_turns.CutResponses());
            if (resume) session.SeenItemIds.Add(_turns.SeenItemIds());
            if (!await RouterAcceptsAsync(call, session, attachment, cancellationToken))
                return new AttachOutcome(false, $"the Router did not take the stream within {options.RouterAnswerTimeout.TotalSeconds:0.#} s", false);
            writer = WriteFramesAsync(call.RequestStream, resume, attachment.Token);
            var reader = ReadRouterAsync(call.ResponseStream, outbound, resume, attachment.Token);
            var (ended, reason) = await reader;
            return new AttachOutcome(ended, reason, _framesThisAttachment > 0);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttachOutcome(false, $"{e.StatusCode}: {e.Status.Detail}", _framesThisAttachment > 0);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttachOutcome(false, e.Message, _framesThisAttachment > 0); // writing to a stream that already failed
        }
        finally
        {
            await attachment.CancelAsync();
            await writer.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Sends the start and waits for the Router's response headers, within <see cref="RealtimeOptions.RouterAnswerTimeout"/>:
    /// false (the attempt cancelled) if they do not come in time.
    /// </summary>
    private async Task<bool> RouterAcceptsAsync(AsyncDuplexStreamingCall<SessionClientFrame, SessionServerFrame> call, SessionStart session,
        CancellationTokenSource attachment, CancellationToken sessionToken)
    {
        using var expiry = new CancellationTokenSource(options.RouterAnswerTimeout, limits.Clock);
        using var cancelOnExpiry = expiry.Token.Register(static a => ((CancellationTokenSource)a!).Cancel(), attachment);
        try
        {
            await call.RequestStream.WriteAsync(new SessionClientFrame { Start = session }, attachment.Token);
            await call.ResponseHeadersAsync.WaitAsync(attachment.Token);
            return true;
        }
        catch (Exception e) when (expiry.IsCancellationRequested && !sessionToken.IsCancellationRequested
            && e is OperationCanceledException or RpcException or InvalidOperationException)
        {
            logger.LogWarning("Session {SessionId}: a Router took no stream within {Timeout}; attaching again", start.SessionId, options.RouterAnswerTimeout);
            return false;
        }
    }

    /// <summary>
    /// Sends buffered frames from the first unacknowledged one; completes the stream when the client is gone. After a
    /// re-attach, unacknowledged audio is replayed (the provider lost its uncommitted input with the old connection);
    /// the turn ledger decides about turns (a request until the client saw it answered, items with their ids, which
    /// the next Router drops if it restored them), and other control events the previous Router reported handed to its
    /// provider are not replayed (they took effect, and their effects are in the checkpoint).
    /// </summary>
    private async Task WriteFramesAsync(IClientStreamWriter<SessionClientFrame> requests, bool resume, CancellationToken cancellationToken)
    {
        var next = _frames.FirstUnacknowledged;
        if (resume)
        {
            foreach (var retained in _turns.RetainedBefore(next)) await requests.WriteAsync(retained, cancellationToken);
        }
        var handed = _handedSeq;
        while (await _frames.NextAsync(next, cancellationToken) is { } frame)
        {
            next = frame.Seq + 1;
            if (resume && frame.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent && !_turns.ShouldReplay(frame, handed)) continue;
            await requests.WriteAsync(frame, cancellationToken);
        }
        await requests.CompleteAsync();
    }

    /// <summary>Relays Router frames to the client. Returns (true, …) when the session is over, (false, reason) when the Router let it go.</summary>
    private async Task<(bool Ended, string Reason)> ReadRouterAsync(IAsyncStreamReader<SessionServerFrame> responses, ServerEventTranslator outbound,
        bool resumed, CancellationToken cancellationToken)
    {
        // A new session's provider connection is made before its first event: bound that wait.
        using var startExpiry = new CancellationTokenSource(resumed ? Timeout.InfiniteTimeSpan : options.StartTimeout, limits.Clock);
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, startExpiry.Token);
        var first = true;
        while (true)
        {
            bool any;
            try
            {
                any = await responses.MoveNext(first ? startTimeout.Token : cancellationToken);
            }
            catch (Exception e) when (first && !resumed && startTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                logger.LogWarning("Session {SessionId} got no session.created within {Timeout}", start.SessionId, options.StartTimeout);
                quality.Ending(Quality.QualityEndReasons.ProviderError);
                await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "provider_timeout",
                    $"The model provider did not start the session within {options.StartTimeout.TotalSeconds:0} seconds.").ToJson(), CancellationToken.None);
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "provider_timeout");
                return (true, "provider_timeout");
            }
            first = false;
            if (!any)
            {
                // The Router finished the stream without an explicit end: the client had left (or a limit ended it).
                await CloseAsync(WebSocketCloseStatus.NormalClosure, LimitReasonOr(""));
                return (true, "completed");
            }

            var frame = responses.Current;
            _framesThisAttachment++;
            switch (frame.FrameCase)
            {
                case SessionServerFrame.FrameOneofCase.OutputAudio:
                    if (_brokeAt != 0) ReportAudioFlowingAgain();
                    // Measured as the write starts: the client cannot have it earlier, and a descheduled thread after the
                    // write would otherwise stretch the Gateway's interval past the client's.
                    quality.OutputAudio(frame.OutputAudio.ResponseId, frame.OutputAudio.ItemId, frame.OutputAudio.Pcm16.Length, frame.OutputAudio.SampleRate);
                    await SendAsync(outbound.AudioDelta(frame.OutputAudio), cancellationToken);
                    recording.Assistant(frame.OutputAudio.Pcm16.Span, frame.OutputAudio.SampleRate, frame.OutputAudio.ItemId);
                    break;
                case SessionServerFrame.FrameOneofCase.ServerEvent:
                    var json = outbound.Event(frame.ServerEvent.Json.Memory, out var type);
                    if (!_turns.Observe(type, json.Span, frame.ServerEvent.AnswersSeq)) break; // a re-applied item the client has
                    if (type == "response.created")
                        _openResponseId = System.Text.Json.Nodes.JsonNode.Parse(json.Span)?["response"]?["id"]?.GetValue<string>();
                    else if (type == "response.done")
                        _openResponseId = null;
                    if (type == "session.created")
                    {
                        if (_sessionCreated) break; // a re-attached Router must not restart the client's session
                        _sessionCreated = true;
                        var routing = System.Text.Json.Nodes.JsonNode.Parse(json.Span)?["routing"];
                        if (routing?["model"] is System.Text.Json.Nodes.JsonValue answered && answered.TryGetValue<string>(out var answeredModel))
                            model.Answered(answeredModel);
                        Quality.RoutingExtension.Report(quality, model, routing);
                        json = await AddResumeTokenAsync(json);
                        if (_pinnedPending)
                        {
                            _heldCreated = json;
                            break;
                        }
                    }
                    else if (_pinnedPending && type is "session.updated" or "error")
                    {
                        // The answer to the ephemeral key's configuration: session.created shows the configured session;
                        // an error about it still reaches the client, after session.created.
                        _pinnedPending = false;
                        if (_heldCreated is { } held)
                        {
                            _heldCreated = null;
                            await SendAsync(type == "session.updated" ? WithSession(held, json) : held, cancellationToken);
                        }
                        if (type == "session.updated") break;
                    }
                    quality.ServerEvent(type, json.Span); // as the write starts, like audio
                    await SendAsync(json, cancellationToken);
                    if (type == "response.done" && _limitEndReason is not null) await EndForLimitAsync();
                    break;
                case SessionServerFrame.FrameOneofCase.Ack:
                    _frames.Acknowledge(frame.Ack.Seq);
                    _handedSeq = Math.Max(_handedSeq, frame.Ack.Handed);
                    break;
                case SessionServerFrame.FrameOneofCase.End:
                    var end = frame.End;
                    var kind = RouterStreamEnd.KindOf(end);
                    if (kind == SessionEndKind.HandOff && _sessionCreated)
                        return (false, $"router released the session: {end.Reason}");
                    var closeStatus = end.CloseStatus == 0 ? RealtimeCloseCodes.Normal : end.CloseStatus;
                    quality.Ending(Quality.QualityEndReasons.FromRouterEnd(kind, closeStatus));
                    await CloseAsync((WebSocketCloseStatus)closeStatus, closeStatus == RealtimeCloseCodes.Normal ? LimitReasonOr(end.Reason) : end.Reason);
                    return (true, end.Reason);
            }
        }
    }

    /// <summary>The first audio from the Router that took over: how long the client went without (operators' failover figure).</summary>
    private void ReportAudioFlowingAgain()
    {
        var since = limits.Clock.GetElapsedTime(_brokeAt);
        _brokeAt = 0;
        metrics.ReattachedAudioFlowing(since);
        quality.RouterFailover(since);
        logger.LogInformation("Session {SessionId}: audio flowing again {Ms:0} ms after the Router stream broke", start.SessionId, since.TotalMilliseconds);
    }

    private static ReadOnlyMemory<byte> WithSession(ReadOnlyMemory<byte> created, ReadOnlyMemory<byte> updated)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(created.Span)!.AsObject();
        node["session"] = System.Text.Json.Nodes.JsonNode.Parse(updated.Span)!["session"]?.DeepClone();
        return VoicePlatform.Contracts.Json.WireJson.ToUtf8Bytes(node);
    }

    /// <summary>Client messages → canonical frames in the buffer, with the size and rate limits and error events.</summary>
    private async Task RelayClientToBufferAsync(CancellationToken cancellationToken)
    {
        using var reader = new ClientMessageReader(socket, options.MaxMessageBytes);
        var rateLimit = new ClientMessageRateLimit(options.MessagesPerSecond, options.MessageBurst, options.ReattachTimeout, limits.Clock);
        var inbound = new ClientEventTranslator(_formats, recording.Switch, model);
        try
        {
            // After our close frame (CloseSent) the client's close reply is still read, and whatever it sent before
            // that is drained: a socket torn down with unread data is reset, and a reset can discard our close frame
            // before the client reads it.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var message = await reader.ReadAsync(cancellationToken);
                if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                {
                    if (message.Kind == ClientMessageKind.Closed) return; // the reply to our close
                    continue;
                }

                if (message.Kind != ClientMessageKind.Closed) _idle?.Touch();
                switch (message.Kind)
                {
                    case ClientMessageKind.Closed:
                        quality.Ending(Quality.QualityEndReasons.ClientClosed); // whatever the Router's end says after it
                        return;
                    case ClientMessageKind.TooLarge:
                        metrics.ClientError("message_too_large");
                        quality.ClientMessageRejected();
                        await SendAsync(RealtimeErrorEvent.Invalid("message_too_large",
                            $"The message exceeds the maximum size of {options.MaxMessageBytes} bytes and was discarded.", null,
                            ClientMessageScanner.TryReadEventId(message.Payload.Span, complete: false)).ToJson(), cancellationToken);
                        continue;
                }

                if (!rateLimit.TryAcquire())
                {
                    metrics.ClientError("rate_limit_exceeded");
                    quality.ClientMessageRejected();
                    await SendAsync(new RealtimeErrorEvent("rate_limit_error", "rate_limit_exceeded",
                        $"Too many messages: the limit is {options.MessagesPerSecond} per second (burst {options.MessageBurst}). The message was discarded.",
                        null, ClientMessageScanner.TryReadEventId(message.Payload.Span)).ToJson(), cancellationToken);
                    continue;
                }

                var translation = TranslateOrReport(inbound, message.Payload);
                if (translation.Error is { } error)
                {
                    metrics.ClientError(error.Code ?? error.Type);
                    quality.ClientMessageRejected();
                    await SendAsync(error.ToJson(), cancellationToken);
                    continue;
                }
                if (translation.Frame!.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent && _resumable
                    && (_formats.Input, _formats.Output, recording.Switch.Overridden) != _persistedChoices)
                {
                    // A resuming client must get its formats and recording choice back even if it drops right after changing them.
                    _persistedChoices = (_formats.Input, _formats.Output, recording.Switch.Overridden);
                    await TryRedisAsync(() => resumeTokens.SaveClientChoicesAsync(start.SessionId, _formats, recording.Switch.Overridden));
                }
                Failover.TurnIds.Assign(translation.Frame!);
                var buffering = limits.Clock.GetTimestamp();
                var buffered = await BufferAsync(translation.Frame!, cancellationToken);
                rateLimit.ReadingPaused(limits.Clock.GetElapsedTime(buffering));
                if (!buffered)
                {
                    metrics.ClientError("input_buffer_full");
                    quality.InputFrameDropped();
                    await SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "input_buffer_full",
                        $"The session's model connection took no input for {options.ReattachTimeout.TotalSeconds:0} s while {options.ReattachBufferBytes} bytes were waiting; this message was dropped.",
                        null, TryEventId(translation.Frame!)).ToJson(), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested) quality.Ending(Quality.QualityEndReasons.ClientClosed); // the peer dropped
            logger.LogDebug(e, "Client socket of session {SessionId} ended", start.SessionId);
        }
        finally
        {
            _frames.Complete();
        }
    }

    /// <summary>
    /// The translator is the first code to touch untrusted bytes: whatever it throws is a defect to fix, but it must
    /// cost the client one error event for that message (with its event_id), never the session.
    /// </summary>
    private ClientTranslation TranslateOrReport(ClientEventTranslator inbound, ReadOnlyMemory<byte> payload)
    {
        try
        {
            return inbound.Translate(payload);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Session {SessionId}: a client message could not be translated", start.SessionId);
            return ClientTranslation.Fail(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "internal_error",
                "The server could not process this message; it was discarded and the session continues.", null,
                ClientMessageScanner.TryReadEventId(payload.Span)));
        }
    }

    /// <summary>
    /// Buffers a frame for the Router (a large audio append as several frames). When the buffer is full this waits for
    /// the Router to take frames, so the client is slowed down (TCP backpressure) rather than losing input; false when
    /// no Router took any for the re-attach timeout and the frame had to be dropped.
    /// </summary>
    private async ValueTask<bool> BufferAsync(SessionClientFrame frame, CancellationToken cancellationToken)
    {
        if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio && frame.InputAudio.Pcm16.IsEmpty)
            return true; // an empty append (or half a sample, kept for the next one) has nothing to hand on
        foreach (var piece in InputAudioFrames.Split(frame))
        {
            if (!await _frames.AppendAsync(piece, options.ReattachTimeout, cancellationToken, _turns.Track)) return false;
            Record(piece);
        }
        return true;
    }

    /// <summary>What the client sent, as forwarded: input audio (caller channel) and truncations (barge-in).</summary>
    private void Record(SessionClientFrame frame)
    {
        if (frame.FrameCase == SessionClientFrame.FrameOneofCase.InputAudio)
        {
            recording.Caller(frame.InputAudio.Pcm16.Span, frame.InputAudio.SampleRate);
            quality.ClientAudio(frame.InputAudio.Pcm16.Length, frame.InputAudio.SampleRate);
        }
        else if (frame.FrameCase == SessionClientFrame.FrameOneofCase.ClientEvent)
        {
            recording.ClientEvent(frame.ClientEvent.Json.Span);
            quality.ClientEvent(RealtimeEventType.Read(frame.ClientEvent.Json.Span), frame.ClientEvent.Json.Span);
        }
    }

    private static string? TryEventId(SessionClientFrame frame) => frame.FrameCase switch
    {
        SessionClientFrame.FrameOneofCase.InputAudio => frame.InputAudio.EventId is { Length: > 0 } id ? id : null,
        SessionClientFrame.FrameOneofCase.ClientEvent => ClientMessageScanner.TryReadEventId(frame.ClientEvent.Json.Span),
        _ => null,
    };

    private async ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            logger.LogDebug(e, "Could not send to client of session {SessionId}", start.SessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        if (Volatile.Read(ref _ending) is { } ending) (status, reason) = (ending.Status, ending.Reason);
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), limits.Clock);
                await socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            logger.LogDebug(e, "Close of session {SessionId} failed", start.SessionId);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // A close reason is limited to 123 UTF-8 bytes.
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];
}
