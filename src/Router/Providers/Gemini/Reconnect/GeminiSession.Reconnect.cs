using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Sessions.Switching;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Connection switches: a setup change (session.update) or a goAway is applied by closing the connection and opening a
/// new one — with the latest resumable handle once the conversation has content (Gemini rejects a resume while the old
/// socket is open, so it is closed first). It happens at a safe point: no response, no model turn, no user speech.
/// Client messages during the switch are held and flushed after setupComplete; with transparent resumption, messages
/// the old connection consumed after the handle's state are replayed first.
/// </summary>
internal sealed partial class GeminiSession
{
    private readonly HeldClientInput _held = new();
    private bool _switching;
    private bool _reconnectPending;
    private string _reconnectReason = "";
    private readonly GeminiResumptionHandle _resumption = new();
    private bool _upstreamHasContext;
    private bool _upstreamHasAudio; // the connection's Gemini session took client audio (server VAD): a fresh setup would lose it

    private void RequestReconnect(string reason)
    {
        _reconnectPending = true;
        _reconnectReason = _reconnectReason.Length == 0 || _reconnectReason == reason ? reason : $"{_reconnectReason}, {reason}";
    }

    private void OnResumptionUpdate(GeminiResumptionUpdate update)
    {
        if (!update.Usable)
        {
            // Mid-generation or mid-tool-call: the state is not resumable right now.
            _resumption.NotResumableNow();
            return;
        }

        var handle = update.NewHandle!;
        var consumed = update.LastConsumedClientMessageIndex;
        if (!_resumption.Offer(handle, consumed))
        {
            // Issued before Gemini took the rebuilt history: resuming with it would lose the conversation.
            _logger.LogDebug("Gemini session {SessionId}: resumption handle predating the history seed ignored", _context.SessionId);
            return;
        }

        _replay.Trim(consumed);
        _coveredInput.Consumed(consumed);
        RecordHandle(handle);
    }

    private bool AtSafePoint()
    {
        // A user turn in progress does not block a resume with transparent replay: the new connection gets the whole
        // turn's audio again (everything after the handle's state) and answers it as the old one would have.
        var userTurnOpen = _vad.InSpeech || _user.SpeechItemId is not null;
        if (_responses.Current is not null || _turn.Open || (userTurnOpen && !CanReplayUserTurn))
        {
            return false;
        }

        if (_turn.ReplyDue(Time.GetUtcNow(), _options.ReplyExpectedWithin))
        {
            return false;
        }

        // Without content there is nothing to resume: a fresh setup will do. With content, wait for a resumable handle;
        // when the connection is going away and there is none (the context was just rebuilt), rebuild it again.
        return !_upstreamHasContext || _resumption.Usable is not null || (GoAwayPending && _resumption.Value is null);
    }

    /// <summary>The switch would resume with the latest handle and can replay every client message after its state.</summary>
    private bool CanReplayUserTurn =>
        _options.TransparentResumption && _config.ServerVad && _upstreamHasContext && _resumption.Usable is not null
        && _resumption.ConsumedIndex is { } consumed && _replay.CompleteAfter(consumed);

    private async ValueTask MaybeReconnectAsync()
    {
        if (!_reconnectPending || _switching || _ended || !AtSafePoint())
        {
            return;
        }

        if (_reconnectReason == "session.update" && GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) == _appliedFingerprint)
        {
            _reconnectPending = false;
            _reconnectReason = "";
            return;
        }

        await BeginSwitchAsync(reanswer: false, aborted: null);
    }

    /// <summary>
    /// Starts replacing the connection (caller holds the gate): with the latest resumable handle once the conversation
    /// has content, else fresh; the conversation as it stands is kept in case the context has to be rebuilt.
    /// </summary>
    /// <param name="respeak">
    /// The spoken user item whose reply was lost: rebuilt from history, the new connection gets its audio again (and not
    /// the item as text) and answers it.
    /// </param>
    private async ValueTask BeginSwitchAsync(bool reanswer, List<ConversationItem>? aborted, string? respeak = null)
    {
        var reason = _reconnectReason;
        _reconnectPending = false;
        _reconnectReason = "";
        _switching = true;
        _turn.ForgetExpectedReply();
        var old = _connection;
        // Audio alone (before the first turn) is state too: resume it when Gemini gave a handle (it may, right after
        // setup); without one, the fresh setup gets that audio again from the replay queue.
        var handle = _upstreamHasContext || _upstreamHasAudio ? _resumption.Usable : null;
        var audioOnly = !_upstreamHasContext && _upstreamHasAudio;
        if (reanswer && handle is not null && !_options.TransparentResumption)
        {
            // Without replay the handle's state lacks the input whose reply was lost: rebuild instead.
            handle = null;
        }

        var target = _config.Clone();
        if (handle is not null && _replay.DroppedUpTo is { } dropped && !(_resumption.ConsumedIndex >= dropped))
        {
            // More client messages since the handle than ReplayLimit keeps: the oldest of them cannot be replayed.
            _logger.LogWarning("Gemini session {SessionId}: replay after the handle is incomplete (messages up to #{Dropped} were dropped; limit {Limit})",
                _context.SessionId, dropped, _options.ReplayLimit);
        }

        var replay = (handle is not null && _resumption.ConsumedIndex is not null) || audioOnly ? _replay.Take(target.ServerVad) : [];
        var userTurnOpen = _vad.InSpeech || _user.SpeechItemId is not null;
        _replay.Clear();
        _resumption.ReplayTaken();
        // What Gemini has had so far (pending client turns go up later; output of a lost reply is asked for again).
        List<ConversationItem>? seed = null;
        if (_upstreamHasContext)
        {
            seed = [];
            foreach (var item in _conversation.Items)
            {
                if (!_manualItems.Contains(item.Id) && !_pendingTurns.Exists(t => t.ItemId == item.Id) && item.Id != respeak
                    && !(reanswer && aborted is not null && aborted.Contains(item)))
                {
                    seed.Add(item);
                }
            }
        }

        var number = ++_connectionCount;
        _logger.LogInformation("Gemini session {SessionId}: switching to connection #{Number} ({Reason}; {Mode}, {Replay} message(s) to replay)",
            _context.SessionId, number, reason, handle is not null ? "resuming" : seed is not null ? "rebuilding from history" : "fresh setup", replay.Count);
        // Without a handle nothing after the last one is kept for replay: the turn's own record serves instead.
        var spoken = respeak is not null ? _spokenTurn.UnansweredAudio
            : userTurnOpen && !replay.Exists(IsAudioMessage) ? _spokenTurn.OpenAudio : ReadOnlyMemory<byte>.Empty;
        var spokenTurn = spoken.IsEmpty ? null : new SpokenTurn(spoken.ToArray(), AnswerIt: respeak is not null);
        await Task.Yield();
        _ = Task.Run(() => SwitchAsync(old, target, handle, seed, number, replay, reason, reanswer,
            resendAudio: userTurnOpen || audioOnly, resendAllAudio: userTurnOpen, spokenTurn));
    }

    /// <summary>A spoken turn's audio to send again to a rebuilt connection; <paramref name="AnswerIt"/> when its reply was lost.</summary>
    private sealed record SpokenTurn(byte[] Pcm, bool AnswerIt);

    /// <param name="resendAudio">
    /// If the connection has to start afresh, the replayed audio goes up again: all of the user's turn in progress (the
    /// history has only finished turns; <paramref name="resendAllAudio"/>), or, before the first turn, the newest
    /// <see cref="InputAcknowledgement.IdleKeep"/> of it — older audio outside a turn can no longer become part of one.
    /// </param>
    /// <param name="spokenTurn">
    /// The audio of the spoken turn whose reply was lost, or of the turn in progress when nothing is kept for replay (see
    /// <see cref="SpokenTurnAudio"/>).
    /// </param>
    private async Task SwitchAsync(GeminiConnection? old, RealtimeSessionConfig target, string? handle, List<ConversationItem>? seed,
        int number, List<byte[]> replay, string reason, bool reanswer, bool resendAudio, bool resendAllAudio, SpokenTurn? spokenTurn)
    {
        GeminiConnection? connection = null;
        var switchStarted = Time.GetTimestamp();
        var resumed = false;
        ProviderConnectException? failure = null;
        try
        {
            if (old is not null)
            {
                await old.RetireAsync(reason);
            }

            (connection, resumed) = await _opener.OpenAsync(target, handle, number, retryTransient: true, Lifetime);
        }
        catch (ProviderConnectException ex)
        {
            failure = ex;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (old is not null)
            {
                await old.DisposeAsync();
            }

            if (_ended || failure is not null)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }

                if (failure is not null)
                {
                    await FailAsync(failure.Code, $"Reconnecting to the model provider failed: {failure.Message}");
                }

                return;
            }

            _connection = connection;
            _coveredInput.NewConnection();
            ApplyConfig(target);
            connection!.StartReading(OnUpstreamMessageAsync, OnUpstreamClosedAsync);
            if (resumed)
            {
                // The handle's state includes any history seeded earlier.
                _resumption.Seeded(null);
                foreach (var message in replay)
                {
                    await connection.SendAsync(message, Lifetime);
                    RememberForReplay(message);
                }

                if (reanswer && replay.Count == 0)
                {
                    // The lost reply's input is in the handle's state (or nothing was replayable): ask for it.
                    await SendAnswerNowAsync(connection);
                }
            }
            else
            {
                if (handle is not null)
                {
                    ForgetHandle();
                }

                _upstreamHasAudio = false;
                if (seed is { Count: > 0 })
                {
                    await SeedHistoryAsync(connection, seed, reanswer && spokenTurn is not { AnswerIt: true });
                }

                if (spokenTurn is not null)
                {
                    await RespeakAsync(connection, spokenTurn);
                }
                else if (resendAudio)
                {
                    // No handle, or it was refused: the new Gemini session has the history at most, so the audio the old
                    // connection took in after the last handle's state (or since setup) goes up again, in order.
                    var audio = replay.Where(IsAudioMessage).ToList();
                    foreach (var message in resendAllAudio ? audio : Newest(audio, InputAcknowledgement.IdleKeep))
                    {
                        await connection.SendAsync(message, Lifetime);
                        RememberForReplay(message);
                        _upstreamHasAudio = true;
                    }
                }
            }

            _switching = false;
            var held = _held.Frames.Count;
            await FlushHeldAsync(connection);

            _logger.LogInformation("Gemini session {SessionId}: connection #{Number} ready ({Held} held message(s) flushed)",
                _context.SessionId, number, held);
            ReportSwitch(reason, number, resumed, Time.GetElapsedTime(switchStarted));
            if (GeminiSetupWriter.Fingerprint(_config, UpstreamModel, _options) != _appliedFingerprint)
            {
                RequestReconnect("session.update");
            }

            await MaybeReconnectAsync();
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogWarning("Gemini session {SessionId}: flushing to connection #{Number} failed: {Message}", _context.SessionId, number, ex.Message);
        }
        finally
        {
            // Unless this switch ended by starting the next one (MaybeReconnectAsync above): that one is switching now,
            // and client messages must keep waiting for its connection, not go to the one it retires.
            if (_connectionCount == number)
            {
                _switching = false;
            }

            _gate.Release();
        }
    }

    /// <summary>
    /// The user's spoken turn goes up again, as it went the first time (100 ms realtimeInput audio messages): Gemini's
    /// VAD hears it end in the audio that follows and answers it. Caller holds the gate.
    /// </summary>
    private async ValueTask RespeakAsync(GeminiConnection connection, SpokenTurn turn)
    {
        var pcm = turn.Pcm;
        _logger.LogInformation("Gemini session {SessionId}: {Ms} ms of the user's {Turn} sent again to connection #{Number}", _context.SessionId,
            pcm.Length / (UpstreamRate * 2 / 1000), turn.AnswerIt ? "spoken turn whose reply was lost" : "turn in progress", connection.Number);
        for (var offset = 0; offset < pcm.Length; offset += GeminiClientMessages.ChunkBytes)
        {
            GeminiClientMessages.Audio(_upstream.StartObject(), pcm.AsSpan(offset, Math.Min(GeminiClientMessages.ChunkBytes, pcm.Length - offset)));
            var json = _upstream.Finish();
            await connection.SendAsync(json, Lifetime);
            RememberForReplay(json);
        }

        _upstreamHasAudio = true;
        if (turn.AnswerIt)
        {
            ExpectReply();
        }
    }

    /// <summary>Sends what the client sent during the switch, in order. Caller holds the gate.</summary>
    private async ValueTask FlushHeldAsync(GeminiConnection connection)
    {
        var flushed = 0;
        try
        {
            foreach (var frame in _held.Frames)
            {
                var message = _held.Data(frame);
                flushed++; // a message whose send fails is lost with its connection, like any other send
                await connection.SendAsync(message, Lifetime);
                RememberForReplay(message);
                _upstreamHasAudio |= frame.IsAudio;
            }
        }
        finally
        {
            _held.RemoveFirst(flushed);
        }
    }

    /// <summary>The new connection runs <paramref name="target"/> (cancel signalling follows it).</summary>
    private void ApplyConfig(RealtimeSessionConfig target)
    {
        _applied = target;
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(target, UpstreamModel, _options);
    }

    private void RememberForReplay(ReadOnlyMemory<byte> json)
    {
        if (!_options.TransparentResumption || _connection is null)
        {
            return;
        }

        _replay.Remember(json.Span, _connection.NextMessageIndex - 1);
    }

    private static bool IsAudioMessage(byte[] json) => GeminiClientMessages.IsAudio(json);

    /// <summary>The last audio messages that together hold at least <paramref name="duration"/> (all if they hold less).</summary>
    private static IEnumerable<byte[]> Newest(List<byte[]> audio, TimeSpan duration)
    {
        // The messages are {"realtimeInput":{"audio":{"data":"<base64 PCM16 at 16 kHz>","mimeType":"…"}}}: the JSON
        // around the base64 is the same size in each, so its length measures the audio well enough here.
        var wanted = (long)(duration.TotalSeconds * UpstreamRate * 2);
        var first = audio.Count;
        for (long bytes = 0; first > 0 && bytes < wanted; first--)
        {
            bytes += (audio[first - 1].Length - AudioMessageOverhead) * 3 / 4;
        }

        return audio.Skip(first);
    }

    private static readonly int AudioMessageOverhead =
        "{\"realtimeInput\":{\"audio\":{\"data\":\"\",\"mimeType\":\"audio/pcm;rate=16000\"}}}"u8.Length;
}
