using VoicePlatform.Contracts.Realtime;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A Gemini Live session presented as an OpenAI Realtime GA session. All state lives behind one gate: client events,
/// client audio, Gemini messages and timers take it in turn (its waiters queue), so the server events reach the sink in
/// protocol order. The gate is the session's event loop without a queue: whoever brings the input runs its handling, so
/// an audio frame costs no thread hop and no queued copy (the relay's cost per session is measured, issue 22).
/// The session only coordinates; each concern is a class of its own (see README.md): the first connection
/// (<see cref="GeminiSessionStart"/>), the settings (<see cref="GeminiSessionSettings"/>), the client's events
/// (<see cref="GeminiClientRequests"/>), Gemini's messages (<see cref="GeminiServerDispatch"/>), the connection and its
/// switches (<see cref="GeminiLink"/>, <see cref="GeminiSwitchPlanner"/>), the model's side of a turn
/// (<see cref="GeminiModelOutput"/>), the user's side (<see cref="GeminiUserInput"/>), the client's items
/// (<see cref="GeminiClientContent"/>). The partial files are the entry points and each part's callbacks into the
/// session: Translation/ .Client, .Upstream, .Responses; Audio/ .Audio; Reconnect/ .Reconnect.
/// </summary>
internal sealed partial class GeminiSession : IProviderSession
{
    private readonly ProviderSessionContext _context;
    private readonly ISessionEventSink _sink;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClientEventStream _clientEvents;

    /// <summary>Client PCM to Gemini's 16 kHz input, and model audio to PCM (<c>Audio/</c>).</summary>
    private readonly GeminiAudioCodec _audio = new();

    /// <summary>The user's side: audio in, the router VAD, commits and clears, the spoken turn (<c>Audio/</c>).</summary>
    private readonly GeminiUserInput _input;

    /// <summary>Gemini's model turns as OpenAI responses (<c>Translation/</c>).</summary>
    private readonly GeminiModelOutput _output;

    /// <summary>The connection to Gemini, what it has been given, and switching it (<c>Reconnect/</c>).</summary>
    private readonly GeminiLink _link;

    /// <summary>Client items held for Gemini until the next response.create or user turn (<c>Translation/</c>).</summary>
    private readonly GeminiClientContent _content;

    /// <summary>What the client configured, and what the connection was set up with (<c>Setup/</c>).</summary>
    private readonly GeminiSessionSettings _settings;

    /// <summary>When to switch connections, and what the conversation gives the new one (<c>Reconnect/</c>).</summary>
    private readonly GeminiSwitchPlanner _switches;

    /// <summary>The client's events other than audio (<c>Translation/</c>).</summary>
    private readonly GeminiClientRequests _requests;

    /// <summary>Gemini's messages to the parts they concern (<c>Translation/</c>).</summary>
    private readonly GeminiServerDispatch _server;

    /// <summary>The first connection: new, or resumed from a checkpoint (<c>Checkpoints/</c>).</summary>
    private readonly GeminiSessionStart _start;

    private bool _ended;
    private int _disposed;

    private GeminiSession(ProviderSessionContext context, ISessionEventSink sink, GeminiProviderOptions options, GeminiEndpoint endpoint, ILogger logger)
    {
        _context = context;
        _sink = sink;
        _logger = logger;
        var conversation = new LocalConversation(new SessionImages(options.Images, logger, context.SessionId));
        var usage = new UsageAccounting();
        var calls = new GeminiFunctionCalls();
        var checkpoint = new GeminiCheckpoint(context, options, logger);
        _clientEvents = new ClientEventStream(sink, _lifetime.Token);
        _output = new GeminiModelOutput(this, new ResponseStream(_clientEvents, conversation, usage), usage, calls, _audio, sink, options,
            context.Time, logger, context.SessionId, _lifetime.Token);
        _link = new GeminiLink(this, context, options, endpoint, checkpoint, conversation, _gate, logger, _lifetime.Token);
        _input = new GeminiUserInput(this, _link, _clientEvents, _audio, conversation, options);
        var profile = GeminiModelProfile.For(context.Model.UpstreamModel);
        _content = new GeminiClientContent(conversation, _clientEvents, calls, _link, profile, logger, context.SessionId);
        _settings = new GeminiSessionSettings(endpoint.ModelPath(context.Model.UpstreamModel), options, new RealtimeSessionConfig
        {
            Id = context.SessionId,
            Model = context.Model.Id,
            ExpiresAt = context.Time.GetUtcNow().Add(options.ReportedSessionLifetime).ToUnixTimeSeconds(),
        });
        _input.DetectWith(_settings.Applied.TurnDetection!);
        _switches = new GeminiSwitchPlanner(_settings, _link, _input, _output, _content, calls, conversation, options, context.Time,
            () => _ended, logger, context.SessionId);
        _requests = new GeminiClientRequests(_settings, _link, _input, _output, _content, new LocalItemRequests(conversation, _clientEvents),
            _clientEvents, _switches, profile.Features(context.Model.Capabilities), profile.AsyncFunctions, logger, context.SessionId,
            new GeminiImageInput(conversation, _clientEvents, _content, _link, checkpoint, options.Images.EchoImageUrl));
        var transcription = new InputTranscription(_input.User, conversation, _clientEvents, context.Checkpoints, logger, context.SessionId);
        _server = new GeminiServerDispatch(_settings, _link, _output, transcription, usage, _switches, logger, context.SessionId);
        _start = new GeminiSessionStart(context, _settings, _link, checkpoint, conversation, _input, _output, calls, _content, _clientEvents, logger);
    }

    public Task Completion => _completion.Task;

    private CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Where the session's timers and timestamps come from (<see cref="ProviderSessionContext.Time"/>).</summary>
    private TimeProvider Time => _context.Time;

    /// <summary>
    /// Connects, waits for setupComplete, and emits session.created — or, for a checkpointed session
    /// (<see cref="ProviderSessionContext.Resume"/>), restores it without session.created. Throws
    /// <see cref="ProviderConnectException"/> on refusal.
    /// </summary>
    public static async Task<GeminiSession> StartAsync(
        ProviderSessionContext context, ISessionEventSink sink, GeminiProviderOptions options, GeminiEndpoint endpoint, ILogger logger,
        CancellationToken cancellationToken)
    {
        var session = new GeminiSession(context, sink, options, endpoint, logger);
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
        var connection = await _start.OpenAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _start.AttachAsync(connection);
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
        _switches.Dispose();
        _clientEvents.Dispose();
        _audio.Dispose();
    }
}
