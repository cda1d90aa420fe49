using System.Net.WebSockets;
using System.Text.Json;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Sessions.Switching;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// One OpenAI Realtime session as the client sees it. It is a faithful relay over one upstream connection at a time:
/// client events go upstream unchanged, server events come back unchanged, audio changes representation only.
/// <para>
/// Continuity. OpenAI ends a connection at its cap (60 min). Before that, once the connection's age reaches
/// <c>cap − RolloverMargin</c>, the session rolls over (<see cref="OpenAIRollover"/>) at the next turn boundary (see <see cref="OpenAITurnTracker.AtTurnBoundary"/>):
/// it holds client frames, sends a fence to prove the old connection has answered everything sent to it, opens a new
/// connection, rebuilds it from its own record of the effective session and the conversation (session.update plus one
/// conversation.item.create per item, same ids; the echoes are swallowed), then switches: held frames are flushed to
/// the new connection in order and the old one is closed, its late events and its cap error/close ignored. With no
/// boundary by <c>cap − RolloverMargin/4</c> the rollover is forced (an unfinished response is first allowed to
/// finish, then cancelled). A re-attached session (<see cref="ProviderSessionContext.Resume"/>) is rebuilt the same way
/// from the checkpoint before the client sees anything.
/// </para>
/// Buffers are pooled and reused; the audio path allocates nothing per frame.
/// </summary>
public sealed class OpenAISession : IProviderSession, IOpenAIRolloverHost
{
    private readonly string _model;
    private readonly OpenAIProviderOptions _settings;
    private readonly XaiDialect? _xai;
    private readonly PublicModelName _publicModel;
    private readonly ISessionEventSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly OpenAISessionRecord _record = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _idTag = Guid.NewGuid().ToString("N")[..10];
    private int _idCounter;
    private int _ended;
    private int _disposed;

    // Connections: the one the client is attached to, the one a rollover is rebuilding, and the hold on client frames.
    private readonly ConnectionSwitch<OpenAIUpstream> _switch = new();
    private OpenAIRollover? _rollover;
    private Task _rolling = Task.CompletedTask;

    // Audio both ways, in reused buffers; ids cached so steady-state deltas allocate no strings.
    private readonly OpenAIAudioCodec _audio = new();
    private readonly Utf8StringCache _responseIds = new();
    private readonly Utf8StringCache _itemIds = new();

    // Turn state of the current connection (written by its reader, read by the rollover).
    private readonly OpenAITurnTracker _turns;

    // Audio the current connection has not committed yet, for a rollover that must happen mid-utterance.
    private readonly UncommittedAudio _uncommitted = new();

    // What the provider's events tell the record and the turn state.
    private readonly OpenAIEventObserver _observer;

    /// <summary>Told of every rollover (see <see cref="ProviderSessionContext.ReportContinuity"/>).</summary>
    internal Action<string, TimeSpan, string>? ReportContinuity { get; init; }

    /// <param name="publicModel">The catalog id the client named, shown as the session's model (<see cref="PublicModelName"/>).</param>
    internal OpenAISession(string model, OpenAIProviderOptions settings, ISessionEventSink sink, ILogger<OpenAISession> logger, TimeProvider? time = null,
        string? publicModel = null)
    {
        _publicModel = new PublicModelName(publicModel ?? model, model);
        _time = time ?? TimeProvider.System;
        _turns = new OpenAITurnTracker(_time);
        _model = model;
        _settings = settings;
        _xai = settings.IsXai ? new XaiDialect() : null;
        _sink = sink;
        _logger = logger;
        _observer = new OpenAIEventObserver(_record, _turns, _uncommitted, _switch, settings, logger);
    }

    public Task Completion => _completion.Task;

    /// <summary>How many times the session moved to a new upstream connection.</summary>
    public int Rollovers => _rollover?.Count ?? 0;

    /// <summary>
    /// Opens the first connection. A new session relays its <c>session.created</c>; a resumed one is rebuilt from
    /// <paramref name="resume"/> first and the client sees nothing of it.
    /// </summary>
    internal async Task StartAsync(SessionResumeState? resume, CancellationToken cancellationToken)
    {
        if (resume is not null) _record.Seed(resume);
        var upstream = await OpenAIUpstream.ConnectAsync(_settings, _model, _time, cancellationToken);
        _switch.Open(upstream, asCandidate: resume is not null);
        StartReading(upstream);
        await WaitForCreatedAsync(upstream, cancellationToken);

        if (resume is not null)
        {
            await RebuildAsync(upstream, cancellationToken);
            _switch.Promote(upstream);
            _logger.LogInformation("OpenAI session resumed on connection {Connection}: {Items} items restored", upstream.Number, resume.History.Count);
        }
        _rollover = new OpenAIRollover(this, _switch, _turns, _record, _uncommitted, _settings, _time, _logger, ReportContinuity);
        _rolling = Task.Run(() => _rollover.RunAsync(_stop.Token));
    }

    // ---------------------------------------------------------------- what the rollover uses

    Task<OpenAIUpstream> IOpenAIRolloverHost.ConnectAsync(CancellationToken cancellationToken) =>
        OpenAIUpstream.ConnectAsync(_settings, _model, _time, cancellationToken);

    void IOpenAIRolloverHost.StartReading(OpenAIUpstream upstream) => StartReading(upstream);

    /// <summary>Starts the connection's reader (after it was registered, so its session.created is seen).</summary>
    private void StartReading(OpenAIUpstream upstream) => upstream.Reader = Task.Run(() => ReadLoopAsync(upstream));

    Task IOpenAIRolloverHost.WaitForCreatedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken) =>
        WaitForCreatedAsync(upstream, cancellationToken);

    Task IOpenAIRolloverHost.RebuildAsync(OpenAIUpstream upstream, CancellationToken cancellationToken) => RebuildAsync(upstream, cancellationToken);

    Task IOpenAIRolloverHost.FlushHeldAsync(OpenAIUpstream upstream, CancellationToken cancellationToken) => FlushHeldAsync(upstream, cancellationToken);

    ValueTask IOpenAIRolloverHost.AppendUpstreamAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, CancellationToken cancellationToken) =>
        AppendUpstreamAsync(upstream, audio, null, cancellationToken);

    string IOpenAIRolloverHost.NextEventId(string what) => NextEventId(what);

    bool IOpenAIRolloverHost.Ended => Volatile.Read(ref _ended) == 1;

    ValueTask IOpenAIRolloverHost.EndSessionAsync(int status, string reason) => EndSessionAsync(status, reason);

    ValueTask IOpenAIRolloverHost.ForwardAsync(CanonicalEvent serverEvent) => _sink.EventAsync(serverEvent, CancellationToken.None);

    private async Task WaitForCreatedAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(_settings.ConnectTimeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await upstream.Created.Task.WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderConnectException("provider_unavailable", "OpenAI accepted the connection but never sent session.created.", e);
        }
    }

    public async ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken)
    {
        var audio = _audio.ToUpstream(pcm16, sampleRate);

        await _switch.EnterSendAsync(cancellationToken);
        try
        {
            if (_switch.Holding)
            {
                _switch.Held.Hold(audio.Span, isAudio: true, eventId);
                return;
            }
            _turns.AudioSent();
            await WriteAudioAsync(_switch.Current!, audio, eventId, cancellationToken);
        }
        finally
        {
            _switch.ExitSend();
        }
    }

    public async ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        // A refused event (the client got an error) goes no further.
        if ((json = await OpenAIExtensionsFilter.ApplyAsync(json, _sink, cancellationToken)).IsEmpty) return;
        if (_xai is not null && (json = await XaiDialect.ToUpstreamAsync(json, _sink, cancellationToken)).IsEmpty) return;
        await _switch.EnterSendAsync(cancellationToken);
        try
        {
            if (_switch.Holding)
            {
                _switch.Held.Hold(json.Span, isAudio: false, null);
                return;
            }
            await _switch.Current!.Socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _switch.ExitSend();
        }
    }

    /// <summary>input_audio_buffer.append with 24 kHz PCM, kept as uncommitted audio. Callers hold the send lock.</summary>
    private ValueTask WriteAudioAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, string? eventId, CancellationToken cancellationToken)
    {
        _uncommitted.Append(audio.Span, keepAll: _turns.SpeechActive || _record.ManualTurns);
        return AppendUpstreamAsync(upstream, audio, eventId, cancellationToken);
    }

    private ValueTask AppendUpstreamAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> audio, string? eventId, CancellationToken cancellationToken) =>
        upstream.Socket.SendAsync(_audio.AppendEvent(audio.Span, eventId), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Sends the held client frames, in order, to <paramref name="upstream"/>. Callers hold the send lock.</summary>
    private async Task FlushHeldAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        try
        {
            var held = _switch.Held;
            foreach (var frame in held.Frames)
            {
                var data = held.Data(frame);
                if (frame.IsAudio)
                {
                    _turns.AudioSent();
                    await WriteAudioAsync(upstream, data, frame.EventId, cancellationToken);
                }
                else
                {
                    await upstream.Socket.SendAsync(data, WebSocketMessageType.Text, true, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection's reader reports the failure.
            _logger.LogWarning("Could not deliver client frames held during a rollover: {Error}", e.Message);
        }
        finally
        {
            _switch.Held.Clear();
        }
    }

    // ---------------------------------------------------------------- reading

    private async Task ReadLoopAsync(OpenAIUpstream upstream)
    {
        var reader = new ProviderMessageReader(upstream.Socket, _settings.MaxMessageBytes);
        var token = upstream.Stop.Token;
        var socket = upstream.Socket;
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(token);
                switch (message.Kind)
                {
                    case ProviderMessageKind.TooLarge:
                        await LostAsync(upstream, "provider_message_too_large", $"The provider sent a message over {_settings.MaxMessageBytes} bytes.");
                        return;
                    case ProviderMessageKind.Closed:
                        await ClosedAsync(upstream, (int?)socket.CloseStatus ?? RealtimeCloseCodes.InternalError, socket.CloseStatusDescription ?? "");
                        return;
                }

                await HandleMessageAsync(upstream, message.Data, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed on our side: the session ended or the connection was retired.
        }
        catch (Exception e) when (e is WebSocketException or IOException or JsonException)
        {
            _logger.LogWarning(e, "OpenAI connection {Connection} failed", upstream.Number);
            if (!upstream.Created.TrySetException(e))
                await LostAsync(upstream, "provider_connection_lost", "The connection to the model provider was lost.");
        }
        catch (Exception e)
        {
            _logger.LogError(e, "OpenAI connection {Connection}: unexpected failure while relaying", upstream.Number);
            if (!upstream.Created.TrySetException(e))
                await LostAsync(upstream, "provider_connection_lost", "The connection to the model provider was lost.");
        }
        finally
        {
            upstream.Closed = true;
            upstream.Gone.TrySetResult();
            reader.Dispose();
        }
    }

    private async ValueTask ClosedAsync(OpenAIUpstream upstream, int status, string reason)
    {
        _logger.LogInformation("OpenAI closed connection {Connection}: {Status} {Reason}", upstream.Number, status, reason);
        upstream.CloseStatus = status;
        upstream.CloseReason = reason;
        upstream.Closed = true;
        if (!upstream.Created.Task.IsCompleted)
        {
            upstream.Created.TrySetException(new WebSocketException($"OpenAI closed the connection ({status} {reason}) before session.created."));
            return;
        }
        // A retired or half-built connection is not the client's; during a rollover the rollover decides.
        if (!_switch.EndIsTheClients(upstream, () => upstream.Closed = true)) return;
        await EndSessionAsync(status, reason);
    }

    /// <summary>The connection broke (not a clean close): the client's session ends unless a rollover owns it.</summary>
    private async ValueTask LostAsync(OpenAIUpstream upstream, string code, string message)
    {
        var theClients = _switch.EndIsTheClients(upstream, () =>
        {
            upstream.Closed = true;
            upstream.CloseStatus ??= 1011;
            upstream.CloseReason ??= code;
        });
        if (!theClients) return;
        await FailAsync(code, message);
    }

    private async ValueTask HandleMessageAsync(OpenAIUpstream upstream, ReadOnlyMemory<byte> message, CancellationToken token)
    {
        if (_xai is not null && (message = _xai.FromUpstream(message)).IsEmpty) return;
        if (_publicModel.Differs) message = _publicModel.Apply(message);
        var read = OpenAIServerEvent.Read(message.Span, _responseIds, _itemIds);
        var kind = read.Kind;
        if (kind == OpenAIEventKind.Error && !upstream.Created.Task.IsCompleted)
        {
            // Refused before the session existed (bad model, bad key...): report it as a connect failure.
            var error = JsonDocument.Parse(message).RootElement.GetProperty("error");
            upstream.Created.TrySetException(new ProviderConnectException(
                error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "provider_error",
                error.TryGetProperty("message", out var text) ? text.GetString() ?? "" : "The provider refused the session."));
            return;
        }

        if (upstream != _switch.Current)
        {
            if (upstream == _switch.Candidate) _observer.ObserveRebuild(upstream, kind, message.Span);
            // Otherwise a retired connection's late event: the client must not see it.
            return;
        }

        if (read.IsCompleteAudioDelta)
        {
            var pcm = _audio.DecodeDelta(message.Span, read);
            _observer.AudioReceived(read.ItemId!, pcm.Length);
            await _sink.AudioDeltaAsync(new OutputAudioRef(read.ResponseId!, read.ItemId!, read.OutputIndex, read.ContentIndex),
                pcm, OpenAIAudioCodec.UpstreamSampleRate, token);
            return;
        }

        if (kind != OpenAIEventKind.Other && !_observer.Observe(upstream, kind, message.Span)) return;
        await _sink.EventAsync(new CanonicalEvent(read.Type, message), token);
        if (kind == OpenAIEventKind.SessionCreated) upstream.Created.TrySetResult();
    }

    // ---------------------------------------------------------------- rebuild

    private string NextEventId(string what) => $"vp_{what}_{_idTag}_{Interlocked.Increment(ref _idCounter)}";

    /// <summary>Rebuilds a fresh connection from the record (see <see cref="OpenAIConnectionRebuilder"/>).</summary>
    private Task RebuildAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        var (session, items) = _record.Snapshot();
        return new OpenAIConnectionRebuilder(_settings, _time, _logger, NextEventId).RebuildAsync(upstream, session, items, cancellationToken, _stop.Token);
    }

    // ---------------------------------------------------------------- ending

    private async ValueTask EndSessionAsync(int status, string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1) return;
        try
        {
            await _sink.EndAsync(status, reason, CancellationToken.None);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async ValueTask FailAsync(string code, string message)
    {
        if (Volatile.Read(ref _ended) == 1) return;
        await _sink.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, code, message)), CancellationToken.None);
        await EndSessionAsync(RealtimeCloseCodes.InternalError, code);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try
        {
            await _rolling;
        }
        catch (Exception)
        {
            // Logged by the loop.
        }
        var closing = new List<Task>();
        var current = _switch.Current;
        var candidate = _switch.Candidate;
        if (current is not null) closing.Add(current.CloseAsync("session ended"));
        if (candidate is not null && candidate != current) closing.Add(candidate.CloseAsync("session ended"));
        if (_rollover is not null) closing.Add(_rollover.RetiredAsync());
        await Task.WhenAll(closing);
        _completion.TrySetResult();
        await _switch.EnterSendAsync(CancellationToken.None); // no append may be using the pooled buffers they return
        _uncommitted.Dispose();
        _audio.Dispose();
        _switch.ExitSend();
        _stop.Dispose();
        _switch.Dispose();
        _turns.Dispose();
    }
}
