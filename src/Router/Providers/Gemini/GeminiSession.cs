using VoicePlatform.Contracts.Realtime;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Sessions.Switching;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A Gemini Live session presented as an OpenAI Realtime GA session. All state lives behind one gate: client events,
/// client audio, Gemini messages and timers take it in turn, so the server events reach the sink in protocol order.
/// The session coordinates; each concern is a class of its own (see README.md): the connection and its switches
/// (<see cref="GeminiLink"/>), the model's side of a turn (<see cref="GeminiModelOutput"/>), the user's side
/// (<see cref="GeminiUserInput"/>), the client's items (<see cref="GeminiClientContent"/>), the client's events
/// (<see cref="ClientEventStream"/>, <see cref="ResponseStream"/>), the checkpoint (<see cref="GeminiCheckpoint"/>).
/// The partial files keep what is left by concern: this file (lifecycle), Translation/ .Client (client events),
/// .Upstream (Gemini messages), .Responses (what makes Gemini answer); Audio/ .Audio; Reconnect/ .Reconnect (when to
/// switch); Checkpoints/ .Continuity (resume).
/// </summary>
internal sealed partial class GeminiSession : IProviderSession
{
    private readonly ProviderSessionContext _context;
    private readonly ISessionEventSink _sink;
    private readonly GeminiProviderOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClientEventStream _clientEvents;
    private readonly ResponseStream _responses;

    /// <summary>Client PCM to Gemini's 16 kHz input, and model audio to PCM (<c>Audio/</c>).</summary>
    private readonly GeminiAudioCodec _audio = new();

    /// <summary>The user's side: audio in, the router VAD, commits and clears, the spoken turn (<c>Audio/</c>).</summary>
    private readonly GeminiUserInput _input;

    /// <summary>Gemini's model turns as OpenAI responses (<c>Translation/</c>).</summary>
    private readonly GeminiModelOutput _output;
    private readonly LocalItemRequests _itemRequests;
    private readonly InputTranscription _transcription;
    private readonly LocalConversation _conversation = new();
    private readonly UsageAccounting _usage = new();
    private readonly GeminiCheckpoint _checkpoint;
    private readonly GeminiDropRecovery _dropRecovery;

    /// <summary>The connection to Gemini, what it has been given, and switching it (<c>Reconnect/</c>).</summary>
    private readonly GeminiLink _link;

    /// <summary>Gemini's function calls: awaited by the connection, or orphaned by one that is gone; their outputs' way up (<c>Tools/</c>).</summary>
    private readonly GeminiFunctionCalls _calls = new();

    /// <summary>Client items held for Gemini until the next response.create or user turn (<c>Translation/</c>).</summary>
    private readonly GeminiClientContent _content;

    /// <summary>The session the client sees (session.updated); <see cref="_applied"/> is what the Gemini connection was set up with.</summary>
    private RealtimeSessionConfig _config;
    private RealtimeSessionConfig _applied;
    private string _appliedFingerprint;

    private bool _ended;
    private int _disposed;

    private GeminiSession(ProviderSessionContext context, ISessionEventSink sink, GeminiProviderOptions options, ILogger logger)
    {
        _context = context;
        _sink = sink;
        _options = options;
        _logger = logger;
        _clientEvents = new ClientEventStream(sink, _lifetime.Token);
        _responses = new ResponseStream(_clientEvents, _conversation, _usage);
        _output = new GeminiModelOutput(this, _responses, _usage, _calls, _audio, sink, options, context.Time, logger, context.SessionId, _lifetime.Token);
        _itemRequests = new LocalItemRequests(_conversation, _clientEvents);
        _checkpoint = new GeminiCheckpoint(context, options, logger);
        _link = new GeminiLink(this, context, options, _checkpoint, _conversation, _gate, logger, _lifetime.Token);
        _input = new GeminiUserInput(this, _link, _clientEvents, _audio, _conversation, options);
        _content = new GeminiClientContent(_conversation, _clientEvents, _calls, _link, logger, context.SessionId);
        _transcription = new InputTranscription(_input.User, _conversation, _clientEvents, context.Checkpoints, logger, context.SessionId);
        _dropRecovery = new GeminiDropRecovery(options);
        _config = new RealtimeSessionConfig
        {
            Id = context.SessionId,
            Model = context.Model.Id,
            ExpiresAt = context.Time.GetUtcNow().Add(options.ReportedSessionLifetime).ToUnixTimeSeconds(),
        };
        _applied = _config.Clone();
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(_applied, UpstreamModel, options);
        _input.DetectWith(_applied.TurnDetection!);
    }

    public Task Completion => _completion.Task;

    private string UpstreamModel => _context.Model.UpstreamModel;

    private CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Where the session's timers and timestamps come from (<see cref="ProviderSessionContext.Time"/>).</summary>
    private TimeProvider Time => _context.Time;

    /// <summary>
    /// Connects, waits for setupComplete, and emits session.created — or, for a checkpointed session
    /// (<see cref="ProviderSessionContext.Resume"/>), restores it without session.created. Throws
    /// <see cref="ProviderConnectException"/> on refusal.
    /// </summary>
    public static async Task<GeminiSession> StartAsync(
        ProviderSessionContext context, ISessionEventSink sink, GeminiProviderOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var session = new GeminiSession(context, sink, options, logger);
        try
        {
            await session.ConnectFirstAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectFirstAsync(CancellationToken cancellationToken)
    {
        var resume = _context.Resume;
        var restored = resume is null ? null : RestoreFromCheckpoint(resume);
        var handle = restored?.Handle;
        var mode = resume is null ? "" : handle is null ? $"; resuming {_conversation.Items.Count} item(s) from history" : $"; resuming {_conversation.Items.Count} item(s) with the handle";
        // A new session is refused at once (the relay reports it); a resume retries transient refusals first.
        var (connection, resumed) = await _link.OpenFirstAsync(_applied, handle, retryTransient: resume is not null, mode, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _link.Attach(connection);
            if (resume is null)
            {
                _logger.LogInformation("Gemini session {SessionId}: connection #{Number} ready", _context.SessionId, connection.Number);
                // Responses name their conversation; a resumed session keeps the name.
                _checkpoint.RecordConversation(_conversation.Id);
                var w = _clientEvents.StartEvent("session.created"u8);
                w.WritePropertyName("session"u8);
                _config.WriteTo(w);
                await _clientEvents.EmitAsync();
            }
            else if (resumed)
            {
                // Gemini restored its context from the handle; the client already has its session (no session.created).
                _link.Restored(handle!, hasContext: _conversation.Items.Count > 0, restored!.HandleInputSeq); // resumed: the checkpoint had a handle
                RequeueUncovered(resume);
                _logger.LogInformation("Gemini session {SessionId}: connection #{Number} resumed with the checkpointed handle", _context.SessionId, connection.Number);
            }
            else
            {
                if (handle is not null)
                {
                    _link.ForgetHandle();
                }

                await _link.SeedHistoryAsync(connection, _conversation.Items, reanswer: false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> under the gate unless the session has ended.</summary>
    private async ValueTask UnderGateAsync(Func<ValueTask> action)
    {
        try
        {
            await _gate.WaitAsync(Lifetime);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (!_ended)
            {
                await action();
            }
        }
        catch (OperationCanceledException) when (Lifetime.IsCancellationRequested)
        {
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Mid-session failure: an OpenAI-style error event, then the end of the session (1011). Caller holds the gate.</summary>
    private async ValueTask FailAsync(string code, string message)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        _logger.LogWarning("Gemini session {SessionId}: ending: {Message}", _context.SessionId, message);
        try
        {
            await _sink.EventAsync(CanonicalEvent.Of(new RealtimeErrorEvent(RealtimeErrorEvent.ServerError, code, message)), Lifetime);
            await _sink.EndAsync(RealtimeCloseCodes.InternalError, message.Length > 120 ? message[..120] : message, Lifetime);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("Gemini session {SessionId}: the sink is gone: {Message}", _context.SessionId, ex.Message);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync();
        await _gate.WaitAsync(CancellationToken.None);
        _ended = true;
        _gate.Release();

        await _link.DisposeAsync();
        _logger.LogInformation("Gemini session {SessionId}: closed after {Connections} connection(s)", _context.SessionId, _link.Connections);
        _completion.TrySetResult();
        _input.Dispose();
        _dropRecovery.Dispose();
        _clientEvents.Dispose();
        _audio.Dispose();
    }
}
