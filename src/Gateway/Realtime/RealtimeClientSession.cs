using System.Net.WebSockets;
using Grpc.Core;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Recordings;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// One client connection on the OpenAI Realtime front-end. The client loop (<see cref="ClientInputRelay"/>) turns client
/// messages into canonical frames in a <see cref="ClientFrameBuffer"/>; the Router loop here attaches the session to a
/// Router stream, sends it the frames the Router has not acknowledged and relays what comes back. When a Router dies or
/// lets the session go, the session is re-attached to another one (which restores it from Redis) and the
/// unacknowledged frames are replayed, so the client only notices a short pause. The recording tap sees the input audio
/// as forwarded and the output audio as sent to the client. Ends the platform decides (limits, idle, revoked key) are
/// <see cref="PlatformSessionEnd"/>'s; client resume is <see cref="ClientResumeRecord"/>'s.
/// </summary>
public sealed class RealtimeClientSession
{
    private readonly RouterSessions.IRouterSessionStreams _router;
    private readonly RealtimeOptions _options;
    private readonly SessionStart _start;
    private readonly SessionModel _model;
    private readonly RealtimeMetrics _metrics;
    private readonly ResumableSession? _resumedFrom;
    private readonly GatewayDrain _drain;
    private readonly ClientSessionLimits _limits;
    private readonly SessionRecordingTap _recording;
    private readonly Quality.SessionQualityMeter _quality;
    private readonly ILogger _logger;
    private readonly SessionSetupTimer? _setup; // a new session's set-up phases, until session.created goes out

    private readonly ClientSocket _client;
    private readonly ClientAudioFormats _formats = new();
    private readonly ClientFrameBuffer _frames;
    private readonly Failover.TurnLedger _turns = new(); // what a Router change must neither lose nor double
    private readonly ClientResumeRecord _resume;
    private readonly PlatformSessionEnd _platformEnd;
    private readonly ClientInputRelay _input;
    private bool _sessionCreated;
    private int _framesThisAttachment; // frames received from the current Router stream (did it work at all?)
    private long _brokeAt;             // when the last Router stream broke (timestamp on limits.Clock); 0 once audio flows again
    private ulong _handedSeq;          // highest frame a Router reported handed to the provider
    private string? _openResponseId;   // response.created seen, response.done not yet
    private bool _pinnedPending;                   // the ephemeral key's configuration is applied, its session.updated not yet seen
    private ReadOnlyMemory<byte>? _heldCreated;    // session.created, held until then (it must show the pinned configuration)

    public RealtimeClientSession(WebSocket socket, RouterSessions.IRouterSessionStreams router, RealtimeOptions options, SessionStart start,
        SessionModel model, RealtimeMetrics metrics, SessionResumeTokens resumeTokens, ResumableSession? resumedFrom, GatewayDrain drain,
        ClientSessionLimits limits, SessionRecordingTap recording, Quality.SessionQualityMeter quality, ILogger logger, SessionSetupTimer? setup = null)
    {
        (_router, _options, _start, _model, _metrics, _resumedFrom, _drain, _limits, _recording, _quality, _logger, _setup) =
            (router, options, start, model, metrics, resumedFrom, drain, limits, recording, quality, logger, setup);
        _sessionCreated = resumedFrom is not null;
        _client = new ClientSocket(socket, limits.Clock, logger, start.SessionId);
        _frames = new ClientFrameBuffer(options.ReattachBufferBytes, limits.Clock);
        _resume = new ClientResumeRecord(resumeTokens, options, start, _formats, recording.Switch, limits.Clock, logger);
        _platformEnd = new PlatformSessionEnd(_client, _frames, options, limits, quality, logger, start.SessionId, () => Volatile.Read(ref _openResponseId) is not null);
        _input = new ClientInputRelay(_client, options, limits.Clock, _formats, model, _frames, _turns, _resume, recording, quality, metrics, logger, start.SessionId);
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        using var expiry = new CancellationTokenSource(_options.MaxSessionDuration, _limits.Clock);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted, expiry.Token, _platformEnd.Reclaimed);
        var outbound = new ServerEventTranslator(_formats, _start.SessionId, _recording.Switch);
        if (_resumedFrom is not null) await ClientReturnedAsync(_resumedFrom);
        else if (_limits.PinnedSessionJson is { } pinned) ApplyPinnedSession(pinned);
        using var watch = _limits.Watch.Watch(_limits.TenantId, _start.SessionId, _limits.MaxSpendUsd, _platformEnd.OnLimitReachedAsync);
        using var idle = _platformEnd.StartIdleTimer();
        using var revocation = _platformEnd.EndWhenKeyRevoked();
        await using var durationCap = _limits.MaxDuration is { } longest
            ? _limits.Clock.CreateTimer(_ => _ = _platformEnd.OnLimitReachedAsync(new SessionLimitReached("session_duration", "session_duration_exceeded",
                $"This session reached its maximum duration of {longest.TotalSeconds:0} seconds. The session ends after the current response.", "session_duration_cap")),
                null, longest, Timeout.InfiniteTimeSpan)
            : null;
        var fromClient = _input.RunAsync(idle, lifetime.Token);
        using var draining = _drain.Draining.Register(() => _ = DrainAsync());
        try
        {
            await RunRouterAttachmentsAsync(outbound, fromClient, lifetime.Token);
            // We closed (or the client did): give the client's close reply a moment to arrive for a clean handshake.
            await Task.WhenAny(fromClient, Task.Delay(TimeSpan.FromSeconds(2), _limits.Clock, lifetime.Token));
        }
        catch (OperationCanceledException) when (expiry.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            _logger.LogInformation("Session {SessionId} hit the maximum duration of {Duration}", _start.SessionId, _options.MaxSessionDuration);
            _quality.Ending(Quality.QualityEndReasons.Expired);
            await _client.SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.InvalidRequest, "session_expired",
                $"Your session hit the maximum duration of {_options.MaxSessionDuration.TotalMinutes:0} minutes.").ToJson(), CancellationToken.None);
            await _client.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "session_expired");
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or WebSocketException or IOException)
        {
            _logger.LogDebug(e, "Session {SessionId} ended abruptly", _start.SessionId);
        }
        catch (Exception e)
        {
            // A defect, not a client or network problem: tell the client properly instead of dropping the socket.
            _logger.LogError(e, "Session {SessionId} failed", _start.SessionId);
            _quality.Ending(Quality.QualityEndReasons.PlatformError);
            await _client.SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "internal_error",
                "The server had an error while processing your session. Please reconnect.").ToJson(), CancellationToken.None);
            await _client.CloseAsync(WebSocketCloseStatus.InternalServerError, "internal_error");
        }
        finally
        {
            await lifetime.CancelAsync();
            await fromClient.ContinueWith(static _ => { }, TaskScheduler.Default); // observe
            await _resume.DetachAsync();
            await _recording.CompleteAsync(); // this Gateway's part of the session is over: store and announce the WAV
            _quality.Complete();              // and its quality facts settled and queued for the outbox
        }
    }

    /// <summary>
    /// The ephemeral key's configuration goes first, as if the client had sent it: the Router applies it like any
    /// session.update, and the client sees the result as its session.created (see <see cref="ReadRouterAsync"/>).
    /// </summary>
    private void ApplyPinnedSession(string sessionJson)
    {
        var update = new System.Text.Json.Nodes.JsonObject { ["type"] = "session.update", ["session"] = System.Text.Json.Nodes.JsonNode.Parse(sessionJson) };
        var translation = new ClientEventTranslator(_formats, _recording.Switch, _model).Translate(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(update));
        if (translation.Frame is { } frame && _frames.TryAppend(frame)) _pinnedPending = true;
        else _logger.LogWarning("Session {SessionId}: the ephemeral key's configuration was not applied ({Error})", _start.SessionId, translation.Error?.Message);
    }

    /// <summary>
    /// A response was streaming when its Router went away: the next Router knows nothing of it, so close it for the
    /// client as the protocol does for a response that could not finish (<c>response.done</c>, status <c>failed</c>).
    /// </summary>
    private async Task FailOpenResponseAsync(string reason)
    {
        if (_openResponseId is not { } responseId) return;
        _openResponseId = null;
        _logger.LogInformation("Session {SessionId}: response {ResponseId} cut off by a Router change ({Reason})", _start.SessionId, responseId, reason);
        await _client.SendAsync(GatewayEvents.ResponseCutByRouterChange(responseId), CancellationToken.None);
    }

    /// <summary>
    /// This Gateway is shutting down: tell the client (documented extension event), give it the grace period, then
    /// close cleanly so it resumes on another instance; the Router keeps the session's state for the resume window.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            await _client.SendAsync(GatewayEvents.Draining(_start.SessionId, _options.DrainGracePeriod, _resume.Resumable), CancellationToken.None);
            _quality.Ending(Quality.QualityEndReasons.Drained);
            await Task.Delay(_options.DrainGracePeriod, _limits.Clock);
            await _client.CloseAsync((WebSocketCloseStatus)RealtimeCloseCodes.ServiceRestart, "server_restarting");
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _logger.LogDebug(e, "Drain notice for session {SessionId} failed", _start.SessionId);
        }
    }

    /// <summary>A client came back with its resume token: restore its formats and tell it (documented extension event).</summary>
    private async Task ClientReturnedAsync(ResumableSession resumed)
    {
        await _resume.ClientReturnedAsync(resumed);
        if (resumed.Dimensions is { } dimensions) _quality.Routed(dimensions, []);
        _quality.ClientResumed(resumed.DetachedAt is { } detachedAt ? _limits.Clock.GetUtcNow() - detachedAt : null);
        await _client.SendAsync(GatewayEvents.Resumed(_start.SessionId), CancellationToken.None);
    }

    /// <summary>Attaches the session to Routers until it ends: the first attach creates it, later ones resume it.</summary>
    private async Task RunRouterAttachmentsAsync(ServerEventTranslator outbound, Task fromClient, CancellationToken cancellationToken)
    {
        DateTimeOffset? detachedSince = null;
        var attempt = 0;
        var quickRetries = 0;
        while (true)
        {
            var attemptStarted = _limits.Clock.GetTimestamp();
            var outcome = await AttachOnceAsync(outbound, fromClient, cancellationToken);
            if (outcome.Ended) return;
            if (_brokeAt == 0 && _sessionCreated) _brokeAt = _limits.Clock.GetTimestamp();

            if (fromClient.IsCompleted)
            {
                // The client left while the session had no Router: nothing to resume for; answer its close handshake.
                await _client.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (outcome.Progressed) (detachedSince, attempt, quickRetries) = (null, 0, 0); // that Router worked for a while: a fresh failure
            detachedSince ??= _limits.Clock.GetUtcNow();
            if (_limits.Clock.GetUtcNow() - detachedSince > _options.ReattachTimeout)
            {
                _logger.LogWarning("Session {SessionId} found no Router within {Timeout}: {Reason}", _start.SessionId, _options.ReattachTimeout, outcome.Reason);
                _quality.Ending(Quality.QualityEndReasons.PlatformError);
                await _client.SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "router_unavailable",
                    "The session's routing service became unavailable.").ToJson(), CancellationToken.None);
                await _client.CloseAsync(WebSocketCloseStatus.InternalServerError, "router_unavailable");
                return;
            }
            if (_turns.Cut(_openResponseId) is { } reask) _frames.TryAppend(reask, _turns.Track);
            await FailOpenResponseAsync(outcome.Reason);
            _metrics.Reattached();
            _logger.LogInformation("Session {SessionId} re-attaching to a Router ({Reason})", _start.SessionId, outcome.Reason);
            // Service discovery picks a Router per call and does not know one died: an attempt refused at once (its
            // connection was refused) most likely hit the dead instance, and the next pick may well be a live one, so
            // retry straight away a few times before backing off.
            if (!outcome.Progressed && _limits.Clock.GetElapsedTime(attemptStarted) < QuickFailure && quickRetries++ < MaxQuickRetries)
                continue;
            attempt++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(25 * attempt, 250)), _limits.Clock, cancellationToken);
        }
    }

    private static readonly TimeSpan QuickFailure = TimeSpan.FromMilliseconds(50);
    private const int MaxQuickRetries = 8;

    private readonly record struct AttachOutcome(bool Ended, string Reason, bool Progressed);

    /// <summary>One Router stream: start (or resume), send unacknowledged frames, relay back until it ends or breaks.</summary>
    private async Task<AttachOutcome> AttachOnceAsync(ServerEventTranslator outbound, Task fromClient, CancellationToken cancellationToken)
    {
        using var attachment = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _router.Open(attachment.Token);
        var resume = _sessionCreated;
        _framesThisAttachment = 0;
        Task writer = Task.CompletedTask;
        try
        {
            var session = new SessionStart(_start) { Resume = resume };
            if (resume) session.UnseenItemIds.Add(_turns.UnseenItemIds());
            if (resume) session.ReaskedSeqs.Add(_turns.ReaskedSeqs());
            if (resume) session.CutResponses.Add(_turns.CutResponses());
            if (resume) session.SeenItemIds.Add(_turns.SeenItemIds());
            if (!await RouterAcceptsAsync(call, session, attachment, cancellationToken))
                return new AttachOutcome(false, $"the Router did not take the stream within {_options.RouterAnswerTimeout.TotalSeconds:0.#} s", false);
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
    private async Task<bool> RouterAcceptsAsync(RouterSessions.IRouterSessionCall call, SessionStart session,
        CancellationTokenSource attachment, CancellationToken sessionToken)
    {
        using var expiry = new CancellationTokenSource(_options.RouterAnswerTimeout, _limits.Clock);
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
            _logger.LogWarning("Session {SessionId}: a Router took no stream within {Timeout}; attaching again", _start.SessionId, _options.RouterAnswerTimeout);
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
        using var startExpiry = new CancellationTokenSource(resumed ? Timeout.InfiniteTimeSpan : _options.StartTimeout, _limits.Clock);
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
                _logger.LogWarning("Session {SessionId} got no session.created within {Timeout}", _start.SessionId, _options.StartTimeout);
                _quality.Ending(Quality.QualityEndReasons.ProviderError);
                await _client.SendAsync(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "provider_timeout",
                    $"The model provider did not start the session within {_options.StartTimeout.TotalSeconds:0} seconds.").ToJson(), CancellationToken.None);
                await _client.CloseAsync(WebSocketCloseStatus.InternalServerError, "provider_timeout");
                return (true, "provider_timeout");
            }
            first = false;
            if (!any)
            {
                // The Router finished the stream without an explicit end: the client had left (or a limit ended it).
                await _client.CloseAsync(WebSocketCloseStatus.NormalClosure, _platformEnd.LimitReasonOr(""));
                return (true, "completed");
            }

            var frame = responses.Current;
            _framesThisAttachment++;
            switch (frame.FrameCase)
            {
                case SessionServerFrame.FrameOneofCase.OutputAudio:
                    if (_brokeAt != 0) ReportAudioFlowingAgain();
                    var delta = outbound.AudioDelta(frame.OutputAudio);
                    // One instant for the quality meter (so the transcript's cue) and the recording: as the write starts,
                    // once the chunk is translated (the first translation takes tens of ms). The client cannot have it
                    // earlier, and a descheduled thread after the write would otherwise stretch the Gateway's interval
                    // past the client's. The tap, called after the write, starts the recorder on the first chunk (tens of
                    // ms more): stamping there put the recording's copy after the cue.
                    var writeStarts = _recording.Now;
                    _quality.OutputAudio(frame.OutputAudio.ResponseId, frame.OutputAudio.ItemId, frame.OutputAudio.Pcm16.Length, frame.OutputAudio.SampleRate, writeStarts);
                    await _client.SendAsync(delta, cancellationToken);
                    _recording.Assistant(frame.OutputAudio.Pcm16.Span, frame.OutputAudio.SampleRate, frame.OutputAudio.ItemId, writeStarts);
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
                        _setup?.Ended(SessionSetupTimer.Phase.Router);
                        var routing = System.Text.Json.Nodes.JsonNode.Parse(json.Span)?["routing"];
                        if (routing?["model"] is System.Text.Json.Nodes.JsonValue answered && answered.TryGetValue<string>(out var answeredModel))
                            _model.Answered(answeredModel);
                        Quality.RoutingExtension.Report(_quality, _model, routing);
                        json = await _resume.IssueTokenAsync(json, _quality.Dimensions);
                        _setup?.Ended(SessionSetupTimer.Phase.ResumeToken);
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
                            _setup?.Completed();
                            await _client.SendAsync(type == "session.updated" ? GatewayEvents.WithSession(held, json) : held, cancellationToken);
                        }
                        if (type == "session.updated") break;
                    }
                    if (type == "session.created") _setup?.Completed();
                    _quality.ServerEvent(type, json.Span); // as the write starts, like audio
                    await _client.SendAsync(json, cancellationToken);
                    if (type == "response.done") await _platformEnd.ResponseDoneAsync();
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
                    _quality.Ending(Quality.QualityEndReasons.FromRouterEnd(kind, closeStatus));
                    await _client.CloseAsync((WebSocketCloseStatus)closeStatus, closeStatus == RealtimeCloseCodes.Normal ? _platformEnd.LimitReasonOr(end.Reason) : end.Reason);
                    return (true, end.Reason);
            }
        }
    }

    /// <summary>The first audio from the Router that took over: how long the client went without (operators' failover figure).</summary>
    private void ReportAudioFlowingAgain()
    {
        var since = _limits.Clock.GetElapsedTime(_brokeAt);
        _brokeAt = 0;
        _metrics.ReattachedAudioFlowing(since);
        _quality.RouterFailover(since);
        _logger.LogInformation("Session {SessionId}: audio flowing again {Ms:0} ms after the Router stream broke", _start.SessionId, since.TotalMilliseconds);
    }

}
