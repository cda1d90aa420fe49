using System.Net.WebSockets;
using System.Threading.Channels;
using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Protocol;
using VoicePlatform.Emulators.GeminiLive.Transport;

namespace VoicePlatform.Emulators.GeminiLive.Sessions;

/// <summary>
/// One client WebSocket. A receive loop parses frames and posts them to a channel; a single event
/// loop owns all session state and is the only sender, so no locks are needed and every timed
/// behaviour (chunk pacing, goAway, lifetime, caps, faults) runs off one "next deadline".
/// </summary>
internal sealed partial class LiveConnection
{
    private const string AccessTokenExpired =
        "Request had invalid authentication credentials: the OAuth 2 access token expired (ACCESS_TOKEN_EXPIRED).";

    private readonly WebSocket _socket;
    private readonly LiveRoute _route;
    private readonly LiveAuth _auth;
    private readonly GeminiEmulatorOptions _options;
    private readonly bool _faulted;
    private readonly SessionBinding _binding;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _connectionId = Guid.NewGuid().ToString("N");
    private readonly Channel<ClientMessage> _inbox = Channel.CreateUnbounded<ClientMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly LiveSender _out;

    private DateTimeOffset _connectedAt;
    private int _receivedMessages;

    private readonly ConnectionDeadlines _deadlines;
    private readonly UserInput _input;
    private readonly ResumptionUpdates _resumption;

    public LiveConnection(
        WebSocket socket,
        LiveRoute route,
        LiveAuth auth,
        GeminiEmulatorOptions options,
        bool faulted,
        SessionRegistry registry,
        EphemeralTokenStore tokens,
        TimeProvider time,
        ILogger logger)
    {
        _socket = socket;
        _route = route;
        _auth = auth;
        _options = options;
        _faulted = faulted;
        _time = time;
        _logger = logger;
        _out = new LiveSender(socket, options, faulted, _connectionId, logger, DetachSession);
        _input = new UserInput(options);
        _binding = new SessionBinding(registry, tokens, options, _connectionId);
        _deadlines = new ConnectionDeadlines(options, route.Surface == ApiSurface.Vertex);
        _resumption = new ResumptionUpdates(_out, _binding, options, time);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private bool OnVertex => _route.Surface == ApiSurface.Vertex;

    public async Task RunAsync(CancellationToken aborted)
    {
        _out.Aborted = aborted;
        _connectedAt = Now;
        _deadlines.Start(_connectedAt, _auth, _faulted);

        var receive = Task.Run(() => ClientFrameReceiver.RunAsync(_socket, _inbox.Writer, _options, aborted), CancellationToken.None);
        try
        {
            if (!_auth.Valid && _options.BadKeyRejection == BadKeyRejection.OnConnect)
            {
                await _out.CloseAsync(_auth.Failure!);
            }

            await EventLoopAsync(aborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            _logger.LogDebug("Connection {Id} ended: {Message}", _connectionId, ex.Message);
        }
        catch (Exception ex)
        {
            // The real service reports its own failures as 1011.
            _logger.LogError(ex, "Connection {Id} failed", _connectionId);
            await _out.CloseAsync(new CloseDirective(1011, CloseDirective.InternalError));
        }
        finally
        {
            _out.MarkClosed();
            DetachSession();
            if (await Task.WhenAny(receive, Task.Delay(LiveSender.CloseHandshakeTimeout, CancellationToken.None)) != receive)
            {
                _socket.Abort();
            }
        }
    }

    private async Task EventLoopAsync(CancellationToken aborted)
    {
        var reader = _inbox.Reader;
        Task<bool>? waiting = null;
        while (!_out.Closed)
        {
            await RunDueTimersAsync();
            if (_out.Closed)
            {
                break;
            }

            if (reader.TryRead(out var message))
            {
                await HandleMessageAsync(message);
                continue;
            }

            waiting ??= reader.WaitToReadAsync(aborted).AsTask();
            var deadline = NextDeadline();
            if (deadline is { } due)
            {
                var delay = due - Now;
                if (delay > TimeSpan.Zero)
                {
                    using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                    var timer = Task.Delay(delay, _time, cancelDelay.Token);
                    await Task.WhenAny(waiting, timer);
                    await cancelDelay.CancelAsync();
                }
            }
            else
            {
                await waiting;
            }

            if (waiting.IsCompleted)
            {
                if (!await waiting)
                {
                    break;
                }

                waiting = null;
            }
        }
    }

    private DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? candidate)
        {
            if (candidate is { } c && (next is null || c < next))
            {
                next = c;
            }
        }

        Consider(_deadlines.Next(setupCompleted: _setup is not null));
        Consider(_resumption.IdleUpdateAt);
        Consider(_replies?.ThoughtDueAt);
        Consider(_runner?.NextDue);

        return next;
    }

    private async Task RunDueTimersAsync()
    {
        var now = Now;
        if (_deadlines.FaultCloseAt <= now)
        {
            await _out.CloseAsync(new CloseDirective(_options.Faults.CloseCode, _options.Faults.CloseReason));
            return;
        }

        if (_deadlines.CredentialExpiresAt <= now)
        {
            await _out.CloseAsync(CloseDirective.Policy(AccessTokenExpired));
            return;
        }

        if (_deadlines.CloseAt <= now)
        {
            if (_deadlines.CloseIsSessionCap && _binding.Session is not null)
            {
                _binding.EndAtCap();
                await _out.CloseAsync(new CloseDirective(_options.SessionCapCloseCode, _options.SessionCapCloseReason));
            }
            else
            {
                await _out.CloseAsync(new CloseDirective(_options.LifetimeCloseCode, _options.LifetimeCloseReason));
            }

            return;
        }

        // goAway waits for setupComplete (the first server message, always): a setup that took longer than the
        // lifetime minus the lead time once got the goAway first and the client refused the connection.
        if (_setup is not null && _deadlines.TakeDueGoAway(now) is { } closeAt)
        {
            ServerMessages.GoAway(_out.Begin(), closeAt - now);
            await _out.SendAsync();
            _out.Silenced = _options.GoAwaySilence;
        }

        await _resumption.SendIdleUpdateIfDueAsync(now, busy: _runner?.Current is not null || _input.InActivity);
        if (_replies is not null)
        {
            await _replies.SpeakThoughtIfDueAsync(now);
        }

        if (_runner is not null)
        {
            await _runner.AdvanceAsync(now);
        }
    }

    private async Task HandleMessageAsync(ClientMessage message)
    {
        if (message is ClientGone)
        {
            // Detach before answering the close so a resume right after it is accepted.
            await _out.CloseAsync(new CloseDirective(1000, string.Empty));
            return;
        }

        _receivedMessages++;
        _resumption.LastConsumedIndex = message.Index;
        if (message is InvalidMessage invalid)
        {
            await _out.CloseAsync(invalid.Close);
            return;
        }

        if (_dispatcher is null)
        {
            if (message is SetupMessage setup)
            {
                await HandleSetupAsync(setup);
            }
            else
            {
                await _out.CloseAsync(new CloseDirective(_options.Strict.NonSetupFirstMessageCloseCode, CloseDirective.InvalidArgument));
            }
        }
        else
        {
            // Recorded before it is acted on, so a handle issued while handling it covers all of its audio.
            if (!_out.Closed)
            {
                _binding.RecordInputAudio(message);
            }

            await _dispatcher.HandleAsync(message);
        }

        if (_dispatcher?.TakeTriggeredFault() is { } fault)
        {
            await TriggeredFaultAsync(fault);
            return;
        }

        if (_faulted && _options.Faults.CloseAfterClientMessages > 0 && _receivedMessages >= _options.Faults.CloseAfterClientMessages)
        {
            await _out.CloseAsync(new CloseDirective(_options.Faults.CloseCode, _options.Faults.CloseReason));
        }
    }

    /// <summary>
    /// A fault a user turn asked for (<see cref="Configuration.FaultOptions.TextTriggers"/>): <c>drop</c> breaks the
    /// connection without a close frame; <c>key_expired</c> closes 1008 as Gemini does for an expired key (not worth a
    /// reconnect); any other code closes 1011 with it as the reason.
    /// </summary>
    private async Task TriggeredFaultAsync(string code)
    {
        switch (code)
        {
            case "drop":
                _out.Drop();
                break;
            case "key_expired":
                await _out.CloseAsync(CloseDirective.Policy("API key expired. Please renew the API key."));
                break;
            default:
                await _out.CloseAsync(new CloseDirective(1011, code));
                break;
        }
    }
}
