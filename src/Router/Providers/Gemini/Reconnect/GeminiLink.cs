using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Sessions.Switching;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// A Gemini session's link to Gemini: the connection client messages go to (behind a <see cref="ConnectionSwitch{T}"/>,
/// which holds them during a switch), what that connection has been given, what a new one can resume from
/// (<see cref="GeminiResumeState"/>), and the switch itself: close the connection (Gemini rejects a resume while the
/// old socket is open), open a new one, resumed with the handle or rebuilt from the conversation, replay what the
/// handle's state lacks, then the held messages. When to switch is the session's (<see cref="IGeminiLinkOwner"/>).
/// Callers hold the session's gate; a switch's second half takes it itself.
/// </summary>
internal sealed class GeminiLink(
    IGeminiLinkOwner owner,
    ProviderSessionContext context,
    GeminiProviderOptions options,
    GeminiEndpoint endpoint,
    GeminiCheckpoint checkpoint,
    LocalConversation conversation,
    SemaphoreSlim gate,
    ILogger logger,
    CancellationToken lifetime) : IAsyncDisposable
{
    private const int UpstreamRate = GeminiClientMessages.InputRate;

    private readonly ConnectionSwitch<GeminiConnection> _switch = new();
    private readonly EventWriter _messages = new();
    private readonly GeminiResumeState _resume = new(options);
    private readonly GeminiConnectionOpener _opener = new(context, options, endpoint, logger);
    private readonly GeminiModelProfile _profile = GeminiModelProfile.For(context.Model.UpstreamModel);

    /// <summary>The upstream model's family rules.</summary>
    public GeminiModelProfile Profile => _profile;
    private int _connectionCount;

    public GeminiConnection? Current => _switch.Current;

    /// <summary>A switch is under way: client messages are held.</summary>
    public bool Switching => _switch.Holding;

    /// <summary>Connections opened so far (the last one's number).</summary>
    public int Connections => _connectionCount;

    /// <summary>Which client frames the handle's state covers (a resume does not send them again).</summary>
    public HandleCoveredInput CoveredInput => _resume.CoveredInput;

    /// <summary>The connection's Gemini session has conversation content (a fresh setup would lose it).</summary>
    public bool HasContext { get; set; }

    /// <summary>The connection's Gemini session took client audio (server VAD): a fresh setup would lose it.</summary>
    public bool HasAudio { get; set; }

    /// <summary>A switch now could go ahead as far as the link is concerned (see <see cref="GeminiResumptionHandle"/>).</summary>
    /// <remarks>
    /// Without content there is nothing to resume: a fresh setup will do. With content, wait for a resumable handle;
    /// when the connection is going away and there is none (the context was just rebuilt), rebuild it again.
    /// </remarks>
    public bool ReadyToSwitch(bool goingAway) => !HasContext || _resume.UsableHandle is not null || (goingAway && !_resume.HasHandle);

    /// <summary>A switch now would resume with the latest handle and can replay every client message after its state.</summary>
    public bool CanReplaySinceHandle => HasContext && _resume.CanReplaySinceHandle;

    /// <summary>Starts a Gemini client message; send it with <see cref="SendAsync"/>.</summary>
    public Utf8JsonWriter StartMessage() => _messages.StartObject();

    /// <summary>Sends the message begun with <see cref="StartMessage"/> (or holds a copy while the connection is being switched).</summary>
    public async ValueTask SendAsync()
    {
        var json = _messages.Finish();
        var connection = _switch.Current;
        if (_switch.Holding || connection is null)
        {
            _switch.Held.Hold(json.Span, GeminiClientMessages.IsAudio(json.Span), eventId: null);
            return;
        }

        try
        {
            await connection.SendAsync(json, lifetime);
            RememberForReplay(json);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            // The reader loop reports the close; this message is lost with the connection.
            logger.LogWarning("Gemini session {SessionId}: send on connection #{Number} failed: {Message}", context.SessionId, connection.Number, ex.Message);
        }
    }

    /// <summary>The first connection: resumed with <paramref name="handle"/> if it is accepted, else fresh (a refused handle is forgotten).</summary>
    /// <param name="mode">How the session starts, for the log ("", or what it resumes).</param>
    public async Task<(GeminiConnection Connection, bool Resumed)> OpenFirstAsync(
        RealtimeSessionConfig config, string? handle, bool retryTransient, bool historyFollows, string mode, CancellationToken cancellationToken)
    {
        logger.LogInformation("Gemini session {SessionId}: connecting to {Endpoint} (model {Model}{Mode})",
            context.SessionId, _opener.Endpoint.Redacted, context.Model.UpstreamModel, mode);
        return await _opener.OpenAsync(config, handle, ++_connectionCount, retryTransient, historyFollows, cancellationToken);
    }

    /// <summary>The first connection becomes current and its messages reach the session. Caller holds the gate.</summary>
    public void Attach(GeminiConnection connection)
    {
        _switch.Open(connection);
        connection.StartReading(owner.OnMessageAsync, owner.OnClosedAsync);
    }

    /// <summary>The first connection resumed a checkpointed handle: the state it restored (caller holds the gate).</summary>
    public void Restored(string handle, bool hasContext, ulong coveredInputSeq)
    {
        _resume.Restored(handle, coveredInputSeq);
        HasContext = hasContext;
        HasAudio = true; // the handle's state may hold audio before the first turn: keep resuming it
    }

    /// <summary>A model turn completed (a handle issued from now on covers a history seed sent before it).</summary>
    public void TurnCompleted() => _resume.TurnCompleted();

    public void OnResumptionUpdate(GeminiResumptionUpdate update)
    {
        if (!update.Usable)
        {
            // Mid-generation or mid-tool-call: the state is not resumable right now.
            _resume.NotResumableNow();
            return;
        }

        var handle = update.NewHandle!;
        var consumed = update.LastConsumedClientMessageIndex;
        if (!_resume.Offer(handle, consumed))
        {
            // Issued before Gemini took the rebuilt history: resuming with it would lose the conversation.
            logger.LogDebug("Gemini session {SessionId}: resumption handle predating the history seed ignored", context.SessionId);
            return;
        }

        checkpoint.RecordHandle(handle, owner.CoveredItemId(), CoveredInput.CoveredSeq);
    }

    /// <summary>The handle was refused: never try it again (nor let a later Router try it).</summary>
    public void ForgetHandle()
    {
        _resume.Forget();
        checkpoint.ForgetHandle();
    }

    /// <summary>
    /// Starts a switch (caller holds the gate): client messages are held from now on. Returns what the new connection
    /// resumes from: the handle (null: a fresh setup), the client messages to replay after its state, and whether the
    /// connection had audio but no content yet.
    /// </summary>
    public async ValueTask<(string? Handle, List<byte[]> Replay, bool AudioOnly)> BeginSwitchAsync(bool reanswer, bool serverVad)
    {
        await _switch.BeginAsync(CancellationToken.None);
        var (handle, replay, dropped) = _resume.TakeForSwitch(HasContext, HasAudio, reanswer, serverVad);
        if (dropped is not null)
        {
            logger.LogWarning("Gemini session {SessionId}: replay after the handle is incomplete (messages up to #{Dropped} were dropped; limit {Limit})",
                context.SessionId, dropped, options.ReplayLimit);
        }

        return (handle, replay, AudioOnly: !HasContext && HasAudio);
    }

    /// <summary>The number the next connection gets.</summary>
    public int NextNumber() => ++_connectionCount;

    /// <summary>Carries out <paramref name="plan"/> (begun with <see cref="BeginSwitchAsync"/>) off the gate.</summary>
    public async ValueTask StartSwitchAsync(GeminiSwitchPlan plan)
    {
        logger.LogInformation("Gemini session {SessionId}: switching to connection #{Number} ({Reason}; {Mode}, {Replay} message(s) to replay)",
            context.SessionId, plan.Number, plan.Reason, plan.Handle is not null ? "resuming" : plan.Seed is not null ? "rebuilding from history" : "fresh setup",
            plan.Replay.Count);
        var old = _switch.Current;
        await Task.Yield();
        _ = Task.Run(() => SwitchAsync(old, plan));
    }

    /// <summary>
    /// Rebuilds the context on a fresh connection (see <see cref="GeminiContextSeed"/>), then, if a reply was lost with
    /// the old connection, asks for it again. Caller holds the gate; the connection is the current one.
    /// </summary>
    public async ValueTask SeedHistoryAsync(GeminiConnection connection, IReadOnlyList<ConversationItem> items, bool reanswer)
    {
        var seed = GeminiContextSeed.Plan(items, conversation, _profile, options.HistoryRebuildMaxChars, reanswer);
        HasContext = seed.Seeded || seed.AskAgain is not null;
        var messages = seed.Messages();
        _resume.Seeded(seed.Seeded ? connection.NextMessageIndex + messages.Count - 1 : null);
        for (var i = 0; i < messages.Count; i++)
        {
            messages.Write(i, _messages.StartObject());
            await SendOnAsync(connection, _messages.Finish());
        }

        logger.LogInformation("Gemini session {SessionId}: context rebuilt on connection #{Number} from {Items} conversation item(s){Reanswer}",
            context.SessionId, connection.Number, seed.Seeded ? items.Count : 0, reanswer ? "; asking again for the lost reply" : "");
        if (reanswer && HasContext)
        {
            await SendAnswerNowAsync(connection, seed.AskAgain);
        }
    }

    /// <summary>Retires <paramref name="old"/>, opens the new connection and hands over to it (see <see cref="GeminiSwitchPlan"/>).</summary>
    private async Task SwitchAsync(GeminiConnection? old, GeminiSwitchPlan plan)
    {
        var number = plan.Number;
        GeminiConnection? connection = null;
        var switchStarted = context.Time.GetTimestamp();
        var resumed = false;
        ProviderConnectException? failure = null;
        try
        {
            if (old is not null)
            {
                await old.RetireAsync(plan.Reason);
            }

            (connection, resumed) = await _opener.OpenAsync(plan.Target, plan.Handle, number, retryTransient: true,
                historyFollows: plan.Seed is { Count: > 0 }, lifetime);
        }
        catch (ProviderConnectException ex)
        {
            failure = ex;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await gate.WaitAsync(CancellationToken.None);
        try
        {
            if (old is not null)
            {
                await old.DisposeAsync();
            }

            if (owner.Ended || failure is not null)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                if (failure is not null)
                {
                    await owner.SwitchFailedAsync(failure);
                }

                return;
            }

            var held = _switch.Held.Frames.Count;
            await _switch.CompleteAsync(connection!, swapped: static () => { }, handOver: next => HandOverAsync(next, plan, resumed));

            logger.LogInformation("Gemini session {SessionId}: connection #{Number} ready ({Held} held message(s) flushed)",
                context.SessionId, number, held);
            if (plan.ContinuityKind is { } kind)
            {
                context.ReportContinuity?.Invoke(kind, context.Time.GetElapsedTime(switchStarted),
                    $"connection #{number} ({plan.Reason}; {(resumed ? "resumed" : "rebuilt")})");
            }
            await owner.SwitchedAsync();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogWarning("Gemini session {SessionId}: flushing to connection #{Number} failed: {Message}", context.SessionId, number, ex.Message);
        }
        finally
        {
            // A switch that failed half-way ends its hold (unless the session is over); one that ended by starting the
            // next (SwitchedAsync above) leaves it: client messages wait for that one's connection, not the old one.
            if (_connectionCount == number && _switch.Holding && !owner.Ended)
            {
                await _switch.AbandonAsync(null, isGone: static () => false, handBack: static _ => Task.CompletedTask);
            }

            gate.Release();
        }
    }

    /// <summary>
    /// What the new connection needs before the held client messages (under the switch's send lock, the connection
    /// already current): the replay after the handle's state when it resumed, else the rebuilt context and the audio it
    /// would lose; then the held messages themselves.
    /// </summary>
    private async Task HandOverAsync(GeminiConnection next, GeminiSwitchPlan plan, bool resumed)
    {
        CoveredInput.NewConnection();
        owner.ConfigApplied(plan.Target);
        next.StartReading(owner.OnMessageAsync, owner.OnClosedAsync);
        if (resumed)
        {
            // The handle's state includes any history seeded earlier.
            _resume.Seeded(null);
            foreach (var message in plan.Replay)
            {
                await SendOnAsync(next, message);
            }

            if (plan.Reanswer && plan.Replay.Count == 0)
            {
                // The lost reply's input is in the handle's state (or nothing was replayable): ask for it.
                await SendAnswerNowAsync(next);
            }
        }
        else
        {
            if (plan.Handle is not null)
            {
                ForgetHandle();
            }

            HasAudio = false;
            if (plan.Seed is { Count: > 0 } seed)
            {
                await SeedHistoryAsync(next, seed, plan.Reanswer && plan.SpokenTurn is not { AnswerIt: true });
            }

            if (plan.SpokenTurn is { } spokenTurn)
            {
                await RespeakAsync(next, spokenTurn);
            }
            else if (plan.ResendAudio)
            {
                // No handle, or it was refused: the new Gemini session has the history at most, so the audio the old
                // connection took in after the last handle's state (or since setup) goes up again, in order.
                var audio = plan.Replay.Where(m => GeminiClientMessages.IsAudio(m)).ToList();
                foreach (var message in plan.ResendAllAudio ? audio : GeminiClientMessages.NewestAudio(audio, InputAcknowledgement.IdleKeep))
                {
                    await SendOnAsync(next, message);
                    HasAudio = true;
                }
            }
        }

        await FlushHeldAsync(next);
    }

    /// <summary>
    /// The user's spoken turn goes up again, as it went the first time (100 ms realtimeInput audio messages): Gemini's
    /// VAD hears it end in the audio that follows and answers it.
    /// </summary>
    private async ValueTask RespeakAsync(GeminiConnection connection, RespokenTurn turn)
    {
        var pcm = turn.Pcm;
        logger.LogInformation("Gemini session {SessionId}: {Ms} ms of the user's {Turn} sent again to connection #{Number}", context.SessionId,
            pcm.Length / (UpstreamRate * 2 / 1000), turn.AnswerIt ? "spoken turn whose reply was lost" : "turn in progress", connection.Number);
        for (var offset = 0; offset < pcm.Length; offset += GeminiClientMessages.ChunkBytes)
        {
            GeminiClientMessages.Audio(_messages.StartObject(), pcm.AsSpan(offset, Math.Min(GeminiClientMessages.ChunkBytes, pcm.Length - offset)));
            await SendOnAsync(connection, _messages.Finish());
        }

        HasAudio = true;
        if (turn.AnswerIt)
        {
            owner.ReplyExpected();
        }
    }

    /// <summary>Asks Gemini to answer the latest user input in its context (a reply lost with a connection; <see cref="GeminiContextSeed.WriteAnswerNow"/>).</summary>
    private async ValueTask SendAnswerNowAsync(GeminiConnection connection, string? input = null)
    {
        GeminiContextSeed.WriteAnswerNow(_messages.StartObject(), _profile, conversation, options.HistoryRebuildMaxChars, input);
        await SendOnAsync(connection, _messages.Finish());
        owner.ReplyExpected();
    }

    /// <summary>Sends what the client sent during the switch, in order.</summary>
    private async ValueTask FlushHeldAsync(GeminiConnection connection)
    {
        var flushed = 0;
        try
        {
            foreach (var frame in _switch.Held.Frames)
            {
                flushed++; // a message whose send fails is lost with its connection, like any other send
                await SendOnAsync(connection, _switch.Held.Data(frame));
                HasAudio |= frame.IsAudio;
            }
        }
        finally
        {
            _switch.Held.RemoveFirst(flushed);
        }
    }

    /// <summary>A send the switch makes itself (not held), remembered for the next one's replay.</summary>
    private async ValueTask SendOnAsync(GeminiConnection connection, ReadOnlyMemory<byte> json)
    {
        await connection.SendAsync(json, lifetime);
        RememberForReplay(json);
    }

    private void RememberForReplay(ReadOnlyMemory<byte> json)
    {
        if (_switch.Current is { } connection)
        {
            _resume.Sent(json.Span, connection.NextMessageIndex - 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_switch.Current is { } connection)
        {
            await connection.RetireAsync("session ended");
            await connection.DisposeAsync();
        }

        _resume.Clear();
        _switch.Dispose();
        _messages.Dispose();
    }
}
