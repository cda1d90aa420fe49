using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using VoicePlatform.Contracts.Json;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>Opens a provider session for <paramref name="step"/>, rebuilt from <paramref name="resume"/> when set, writing to <paramref name="sink"/>.</summary>
public delegate Task<IProviderSession> ProviderOpener(ResolvedTarget step, SessionResumeState? resume, ISessionEventSink sink, CancellationToken cancellationToken);

/// <summary>
/// Mid-session fallback: the session's provider side, which moves to the next model of the route's fallback chain when
/// the provider fails for good (its own recovery — Gemini's reconnect, OpenAI's rollover — already gave up). The next
/// model gets the conversation so far and the session configuration (the checkpoint's, the same a Router failover
/// resumes from; each connector maps what differs: voices, formats, turn detection). Client frames wait while it
/// switches; a frame the failed provider could not take, and an item it took without confirming, are handed to the next
/// one; a response the failure cut is closed for the client (<c>response.done</c>, <c>failed</c>) and asked again. The client sees one extension event,
/// <c>session.model_changed</c>; the failed provider's last error and close are kept from it. When no model is left,
/// the failure reaches the client as it would have without a chain.
/// </summary>
public sealed class FallbackProviderSession : IProviderSession
{
    /// <summary>How long a frame the provider refused waits for the failure that explains it, before the error is the caller's.</summary>
    private static readonly TimeSpan FailureWait = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<ResolvedTarget> _steps;
    private readonly ProviderOpener _open;
    private readonly ISessionEventSink _output;
    private readonly Func<SessionResumeState> _handOver;
    private readonly ResponseRequests _requests;
    private readonly ConnectFallback _fallback;
    private readonly Action<ResolvedTarget, ProviderFailure, TimeSpan> _switched;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendGate = new(1, 1); // client frames vs. the switch
    private readonly UnconfirmedClientItems _unconfirmed = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private IProviderSession? _inner;
    private ProviderFailureGuard? _guard;
    private ResolvedTarget? _target;
    private TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _switch = Task.CompletedTask;
    private int _disposed;
    private long _handedRequests; // response.create frames a provider took, in the order ResponseRequests registered them (send gate)

    /// <param name="steps">The route's whole chain, in order; the session only ever moves forward in it.</param>
    /// <param name="handOver">The session as it stands, for the next model (the checkpointer's hand-over).</param>
    /// <param name="switched">Called after a switch (the model that took over, why, how long the client waited).</param>
    public FallbackProviderSession(IReadOnlyList<ResolvedTarget> steps, ProviderOpener open, ISessionEventSink output, Func<SessionResumeState> handOver,
        ResponseRequests requests, ConnectFallback fallback, Action<ResolvedTarget, ProviderFailure, TimeSpan> switched, TimeProvider time, ILogger logger)
    {
        _steps = steps;
        _open = open;
        _output = output;
        _handOver = handOver;
        _requests = requests;
        _fallback = fallback;
        _switched = switched;
        _time = time;
        _logger = logger;
    }

    public Task Completion => _completion.Task;

    /// <summary>
    /// The sink for a provider session about to be opened on <paramref name="step"/>: its own guard (so a failed session
    /// is cut off whole), or, on the chain's last step, the client's sink itself (its failure ends the session as usual).
    /// </summary>
    public ISessionEventSink NextSink(ResolvedTarget step)
    {
        var last = ReferenceEquals(step, _steps[^1]);
        var guard = last ? null : new ProviderFailureGuard(_output, OnFailed, _time, _unconfirmed);
        lock (_lock)
        {
            _guard?.Dispose();
            _guard = guard;
        }
        return guard ?? _output;
    }

    /// <summary>The provider session the first connect opened (on <paramref name="target"/>, through the latest <see cref="NextSink"/>).</summary>
    public void Begin(IProviderSession session, ResolvedTarget target)
    {
        lock (_lock)
        {
            _inner = session;
            _target = target;
        }
        Watch(session);
    }

    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            var session = Current();
            ExceptionDispatchInfo lost;
            try
            {
                await session.SendAudioAsync(inputSeq, pcm16, sampleRate, eventId, cancellationToken);
                return;
            }
            catch (Exception e) when (IsConnectionLoss(e, cancellationToken))
            {
                lost = ExceptionDispatchInfo.Capture(e);
            }
            if (!await SwitchExplainsAsync(session, cancellationToken)) lost.Throw();
            await Current().SendAudioAsync(inputSeq, pcm16, sampleRate, eventId, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        HandAsync(inputSeq, json, RealtimeEventType.Read(json.Span), cancellationToken);

    private async ValueTask HandAsync(ulong inputSeq, ReadOnlyMemory<byte> json, string? type, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            var session = Current();
            ExceptionDispatchInfo lost;
            var handing = _unconfirmed.Handing(json.Span, type);
            try
            {
                await session.SendEventAsync(inputSeq, json, cancellationToken);
                Handed(type);
                return;
            }
            catch (Exception e) when (IsConnectionLoss(e, cancellationToken))
            {
                lost = ExceptionDispatchInfo.Capture(e);
                _unconfirmed.Withdraw(handing);
            }
            catch
            {
                _unconfirmed.Withdraw(handing);
                throw;
            }
            if (!await SwitchExplainsAsync(session, cancellationToken)) lost.Throw();
            handing = _unconfirmed.Handing(json.Span, type);
            await Current().SendEventAsync(inputSeq, json, cancellationToken);
            Handed(type);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>A provider took the frame; a response request counts as handed (caller holds the send gate).</summary>
    private void Handed(string? type)
    {
        if (type == "response.create") _handedRequests++;
    }

    private IProviderSession Current()
    {
        lock (_lock) return _inner ?? throw new InvalidOperationException("The session has no provider yet.");
    }

    /// <summary>
    /// A frame failed on <paramref name="session"/>'s connection: true when a switch follows (the caller holds the send
    /// gate, so the switch waits for it: release it briefly while the switch runs, then hand the frame to the new
    /// provider); false when the session simply ended.
    /// </summary>
    private async Task<bool> SwitchExplainsAsync(IProviderSession session, CancellationToken cancellationToken)
    {
        Task failed;
        lock (_lock) failed = _failed.Task;
        await Task.WhenAny(failed, session.Completion, Task.Delay(FailureWait, _time, cancellationToken));
        if (!failed.IsCompleted) return false; // a failure is reported before the session completes, never after
        Task switching;
        lock (_lock) switching = _switch;
        _sendGate.Release();
        try
        {
            await switching.WaitAsync(cancellationToken);
        }
        finally
        {
            await _sendGate.WaitAsync(CancellationToken.None);
        }
        lock (_lock) return !ReferenceEquals(_inner, session) && !_completion.Task.IsCompleted;
    }

    private static bool IsConnectionLoss(Exception e, CancellationToken cancellationToken) =>
        e is IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested;

    /// <summary>A provider session that ends without a failure the guard caught ends the whole session.</summary>
    private void Watch(IProviderSession session) =>
        _ = session.Completion.ContinueWith(_ =>
        {
            lock (_lock)
            {
                if (!ReferenceEquals(_inner, session) || _failed.Task.IsCompleted) return;
            }
            _completion.TrySetResult();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>The guard of the current provider session saw it fail (called on the provider's own thread: never block it).</summary>
    private void OnFailed(ProviderFailure failure)
    {
        lock (_lock)
        {
            if (_disposed != 0 || _failed.Task.IsCompleted || _guard is not { } guard) return;
            _switch = Task.Run(() => SwitchAsync(failure, guard));
            _failed.TrySetResult();
        }
    }

    private async Task SwitchAsync(ProviderFailure failure, ProviderFailureGuard failedGuard)
    {
        var started = _time.GetTimestamp();
        IProviderSession old;
        ResolvedTarget from;
        lock (_lock) (old, from) = (_inner!, _target!);
        _logger.LogWarning("Provider of {Model} failed mid-session ({Code}, close {Status} {Reason}); moving the session on",
            from.Model.Id, failure.Code, failure.CloseStatus, failure.Reason);
        try
        {
            await old.DisposeAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogDebug(e, "The failed provider session did not close cleanly");
        }

        await _sendGate.WaitAsync(CancellationToken.None);
        try
        {
            var remaining = _steps.SkipWhile(s => !ReferenceEquals(s, from)).Skip(1).ToList();
            ChainConnection? next = null;
            ProviderConnectException? refused = null;
            if (remaining.Count > 0 && _disposed == 0)
            {
                var resume = _handOver();
                try
                {
                    next = await _fallback.ConnectAsync(remaining, (step, token) => _open(step, resume, NextSink(step), token), _stop.Token);
                }
                catch (ProviderConnectException e)
                {
                    refused = e;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
            if (next is null)
            {
                await GiveUpAsync(failure, refused);
                return;
            }

            var openResponses = failedGuard.OpenResponses;
            // Only requests a provider took count (the send gate, held here, orders them): one the relay registered but has
            // not handed yet is on its way and reaches the new provider itself, so the switch never asks for it twice.
            var unanswered = _requests.UnansweredAmongFirst(_handedRequests);
            foreach (var responseId in openResponses) await _output.EventAsync(new CanonicalEvent("response.done", FailedResponse(responseId)), CancellationToken.None);
            await _output.EventAsync(new CanonicalEvent("session.model_changed", ModelChanged(next.Target.Model.Id, from.Model.Id)), CancellationToken.None);
            lock (_lock)
            {
                _inner = next.Session;
                _target = next.Target;
                _failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            Watch(next.Session);
            _switched(next.Target, failure, _time.GetElapsedTime(started));
            // Items the failed provider took without confirming are not in the checkpoint: the new one gets them now.
            var untaken = _unconfirmed.TakeAll();
            foreach (var frame in untaken)
            {
                _unconfirmed.Handing(frame, "conversation.item.create");
                await next.Session.SendEventAsync(0, frame, CancellationToken.None);
            }
            _logger.LogWarning("Session moved from {From} to {To} after {Code} in {Ms:0} ms ({Open} response(s) cut, {Pending} unanswered request(s), {Items} unconfirmed item(s) handed on)",
                from.Model.Id, next.Target.Model.Id, failure.Code, _time.GetElapsedTime(started).TotalMilliseconds, openResponses.Count, unanswered, untaken.Count);
            if (openResponses.Count > 0 || unanswered > 0)
            {
                // The failure cut the answer the client was waiting for: the new model answers from the same context.
                await next.Session.SendEventAsync(0, ResponseCreate, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogError(e, "Mid-session fallback failed");
            await GiveUpAsync(failure, null);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>No model could take over: the client gets the failure as it would have without a fallback chain.</summary>
    private async Task GiveUpAsync(ProviderFailure failure, ProviderConnectException? refused)
    {
        var message = refused is null
            ? $"The model provider failed ({failure.Code}) and the route has no other model to continue on."
            : $"The model provider failed ({failure.Code}) and no other model of the route could continue the session: {refused.Message}";
        try
        {
            await _output.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, "provider_unavailable", message)), CancellationToken.None);
            await _output.EndAsync(failure.CloseStatus, failure.Reason, CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            _logger.LogDebug("The Gateway is gone: {Message}", e.Message);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private static readonly byte[] ResponseCreate = """{"type":"response.create"}"""u8.ToArray();

    /// <summary>The documented extension event: <c>{"type":"session.model_changed","model","previous_model","reason"}</c>.</summary>
    private static byte[] ModelChanged(string model, string previous) => Write(w =>
    {
        w.WriteString("type"u8, "session.model_changed"u8);
        w.WriteString("event_id"u8, RealtimeIds.New("event"));
        w.WriteString("model"u8, model);
        w.WriteString("previous_model"u8, previous);
        w.WriteString("reason"u8, "provider_unavailable"u8);
    });

    /// <summary>A response the failure cut, closed as the protocol closes a response that could not finish.</summary>
    private static byte[] FailedResponse(string responseId) => Write(w =>
    {
        w.WriteString("type"u8, "response.done"u8);
        w.WriteString("event_id"u8, RealtimeIds.New("event"));
        w.WriteStartObject("response"u8);
        w.WriteString("object"u8, "realtime.response"u8);
        w.WriteString("id"u8, responseId);
        w.WriteString("status"u8, "failed"u8);
        w.WriteStartObject("status_details"u8);
        w.WriteString("type"u8, "failed"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, "server_error"u8);
        w.WriteString("code"u8, "provider_unavailable"u8);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("output"u8);
        w.WriteEndArray();
        w.WriteNull("usage"u8);
        w.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        Task switching;
        lock (_lock) switching = _switch;
        await switching.ContinueWith(static _ => { }, TaskScheduler.Default);
        IProviderSession? inner;
        lock (_lock) inner = _inner;
        if (inner is not null) await inner.DisposeAsync();
        lock (_lock) _guard?.Dispose();
        _completion.TrySetResult();
    }
}
