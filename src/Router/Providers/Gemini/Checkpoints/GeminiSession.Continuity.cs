using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Continuity: what the checkpoint records about the Gemini side (the latest resumable handle, when it was issued, and
/// the last conversation item its state covers), restoring a checkpointed session on this Router (handle first, else
/// the conversation rebuilt from history), and the fallbacks shared with connection switches: transient refusals are
/// retried for <see cref="GeminiProviderOptions.ResumeRetryWindow"/>, a refused handle means a fresh connection whose
/// context is rebuilt from the conversation (clientContent, turnComplete:false).
/// </summary>
internal sealed partial class GeminiSession
{
    /// <summary>Provider state names (the checkpoint stores them as <c>provider:&lt;name&gt;</c>).</summary>
    internal const string HandleKey = "gemini_handle";
    internal const string HandleAtKey = "gemini_handle_at";
    internal const string HandleItemKey = "gemini_handle_item";
    internal const string HandleInputSeqKey = "gemini_handle_input_seq";
    internal const string ConversationKey = "gemini_conversation";

    /// <summary>Function calls made on a connection that is gone: call id → name. Their outputs go up as context text.</summary>
    private readonly Dictionary<string, string> _orphanedCalls = new(StringComparer.Ordinal);

    /// <summary>The connection that announced goAway; its close is a rollover, not an error.</summary>
    private GeminiConnection? _goAwayOn;

    private bool GoAwayPending => _goAwayOn is not null && _goAwayOn == _connection;

    /// <summary>
    /// Restores the session config and the local conversation from the checkpoint; returns the handle worth trying
    /// (recorded, not older than <see cref="GeminiProviderOptions.ResumptionHandleValidity"/>), or null.
    /// </summary>
    private string? RestoreFromCheckpoint(SessionResumeState resume)
    {
        if (resume.Session is { ValueKind: JsonValueKind.Object } session)
        {
            RestoreConfig(session);
        }

        if (resume.ProviderValue(ConversationKey) is { Length: > 0 } conversationId)
        {
            _conversation.Id = conversationId;
        }

        var orphaned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var json in resume.History)
        {
            if (ConversationHistory.FromCheckpoint(json) is not { } item || _conversation.Contains(item.Id))
            {
                _logger.LogDebug("Gemini session {SessionId}: checkpointed item skipped: {Item}", _context.SessionId, Shorten(json.GetRawText()));
                continue;
            }

            _conversation.Insert(item);
            if (item.IsAssistantMessage && item.Content.Any(c => c.Type == "output_audio"))
            {
                _assistantAudioPresent = true;
            }

            if (item.Type == "function_call")
            {
                orphaned[item.CallId!] = item.Name ?? string.Empty;
            }
            else if (item.Type == "function_call_output")
            {
                orphaned.Remove(item.CallId!);
            }
        }

        // A call without an output was made on the old connection; the new Gemini session will not wait for it.
        foreach (var (callId, name) in orphaned)
        {
            _orphanedCalls[callId] = name;
        }

        var handle = resume.ProviderValue(HandleKey);
        if (string.IsNullOrEmpty(handle))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(resume.ProviderValue(HandleAtKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var issuedAt)
            && Time.GetUtcNow() - issuedAt > _options.ResumptionHandleValidity)
        {
            _logger.LogInformation("Gemini session {SessionId}: the checkpointed handle is from {IssuedAt:O}, past its validity; rebuilding from history",
                _context.SessionId, issuedAt);
            ForgetHandle();
            return null;
        }

        return handle;
    }

    /// <summary>The checkpointed session object through the session.update parser (the full object, field by field if one no longer parses).</summary>
    private void RestoreConfig(JsonElement session)
    {
        var fields = JsonNode.Parse(session.GetRawText())!.AsObject();
        var expiresAt = fields["expires_at"] is JsonValue e && e.TryGetValue<long>(out var at) ? at : _config.ExpiresAt;
        // Read-only parts of a session.created: not client-settable, so not part of an update.
        fields.Remove("id");
        fields.Remove("object");
        fields.Remove("expires_at");
        fields["type"] = "realtime";

        var restored = new RealtimeSessionConfig { Id = _context.SessionId, Model = _context.Model.Id, ExpiresAt = expiresAt };
        var textOutput = _context.Model.Capabilities.TextOutput;
        using (var document = JsonDocument.Parse(fields.ToJsonString()))
        {
            if (SessionUpdateParser.Apply(document.RootElement, restored, assistantAudioPresent: false, textOutput) is { } error)
            {
                // Something that was valid then is not now (e.g. a catalog change): keep every field that still parses.
                _logger.LogWarning("Gemini session {SessionId}: checkpointed session field {Param} no longer applies ({Message}); restoring the rest",
                    _context.SessionId, error.Param, error.Message);
                restored = new RealtimeSessionConfig { Id = _context.SessionId, Model = _context.Model.Id, ExpiresAt = expiresAt };
                foreach (var (name, value) in fields)
                {
                    var single = new JsonObject { ["type"] = "realtime" };
                    if (name != "type")
                    {
                        single[name] = value?.DeepClone();
                    }

                    var candidate = restored.Clone();
                    using var one = JsonDocument.Parse(single.ToJsonString());
                    if (SessionUpdateParser.Apply(one.RootElement, candidate, assistantAudioPresent: false, textOutput) is null)
                    {
                        restored = candidate;
                    }
                }
            }
        }

        _config = restored;
        _applied = restored.Clone();
        _appliedFingerprint = GeminiSetupWriter.Fingerprint(_applied, UpstreamModel, _options);
        _vad = new SpeechDetector(_applied.TurnDetection ?? new TurnDetectionSettings(), _options.Vad, 0);
    }

    /// <summary>
    /// After resuming with the checkpointed handle: items the handle's state does not cover (added after it was issued)
    /// go up with the next turn, as context.
    /// </summary>
    private void RequeueUncovered(SessionResumeState resume)
    {
        var covered = resume.ProviderValue(HandleItemKey);
        var items = _conversation.Items;
        var start = 0;
        if (!string.IsNullOrEmpty(covered))
        {
            var index = -1;
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].Id == covered)
                {
                    index = i;
                    break;
                }
            }

            // Not found (deleted since): nothing tells what is missing; assume the handle has it all.
            start = index < 0 ? items.Count : index + 1;
        }
        else if (covered is null)
        {
            // Recorded by a connector that did not track it: assume the handle has it all.
            start = items.Count;
        }

        for (var i = start; i < items.Count; i++)
        {
            if (ConversationHistory.ToTurn(items[i], _conversation) is { } turn)
            {
                _pendingTurns.Add(new PendingTurn(turn.Role, turn.Text, null, items[i].Id));
            }
        }

        if (_pendingTurns.Count > 0)
        {
            _logger.LogInformation("Gemini session {SessionId}: {Count} item(s) after the handle's state go up with the next turn", _context.SessionId, _pendingTurns.Count);
        }
    }

    /// <summary>
    /// Opens a connection for <paramref name="target"/>: with <paramref name="handle"/> if given (transient refusals —
    /// 1011 while the old socket is still open, network failures — retried with backoff within
    /// <see cref="GeminiProviderOptions.ResumeRetryWindow"/>), else or when the handle is refused, a fresh setup.
    /// Resumed is false when the caller has to rebuild the context. Throws <see cref="ProviderConnectException"/>
    /// when no connection can be had.
    /// </summary>
    private async Task<(GeminiConnection Connection, bool Resumed)> OpenConnectionAsync(
        RealtimeSessionConfig target, string? handle, int number, bool retryTransient, CancellationToken cancellationToken)
    {
        if (handle is not null)
        {
            var setup = GeminiSetupWriter.Write(target, UpstreamModel, handle, _options);
            try
            {
                return (await OpenWithRetryAsync(setup, number, retryTransient, cancellationToken), true);
            }
            catch (ProviderConnectException ex) when (ex.Code != "invalid_api_key")
            {
                _logger.LogWarning("Gemini session {SessionId}: resuming with the handle failed ({Message}); rebuilding the context from the conversation",
                    _context.SessionId, ex.Message);
            }
        }

        var fresh = GeminiSetupWriter.Write(target, UpstreamModel, resumptionHandle: null, _options);
        return (await OpenWithRetryAsync(fresh, number, retryTransient, cancellationToken), false);
    }

    private async Task<GeminiConnection> OpenWithRetryAsync(byte[] setup, int number, bool retryTransient, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        var attempt = 0;
        while (true)
        {
            try
            {
                return await GeminiConnection.OpenAsync(_uri, setup, _options, number, _logger, Time, cancellationToken);
            }
            catch (ProviderConnectException ex) when (retryTransient && IsTransient(ex)
                && Time.GetElapsedTime(started) + delay < _options.ResumeRetryWindow)
            {
                attempt++;
                _logger.LogInformation("Gemini session {SessionId}: connection #{Number} attempt {Attempt} refused ({Message}); retrying in {Delay} ms",
                    _context.SessionId, number, attempt, ex.Message, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, Time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }

    /// <summary>Worth another try soon: 1011 (resume while the old socket is open, internal error) or no close at all (network, timeout).</summary>
    private static bool IsTransient(ProviderConnectException ex)
    {
        if (ex.Code == "invalid_api_key")
        {
            return false;
        }

        return UpstreamClosedException.CloseOf(ex) is not { } close || close.Code == 1011;
    }

    /// <summary>
    /// Rebuilds the context on a fresh connection: <paramref name="items"/> as clientContent turns (turnComplete:false,
    /// so the model does not answer), then, if a reply was lost with the old connection, asks for it again. Caller holds
    /// the gate; the connection is <see cref="_connection"/>.
    /// </summary>
    private async ValueTask SeedHistoryAsync(GeminiConnection connection, IReadOnlyList<ConversationItem> items, bool reanswer)
    {
        var w = _upstream.StartObject();
        var seeded = ConversationHistory.WriteSeed(w, items, _conversation, _options.HistoryRebuildMaxChars);
        _upstreamHasContext = seeded;
        _resumption.Seeded(seeded ? connection.NextMessageIndex : null);
        if (seeded)
        {
            var json = _upstream.Finish();
            await connection.SendAsync(json, Lifetime);
            RememberForReplay(json);
        }

        _logger.LogInformation("Gemini session {SessionId}: context rebuilt on connection #{Number} from {Items} conversation item(s){Reanswer}",
            _context.SessionId, connection.Number, seeded ? items.Count : 0, reanswer ? "; asking again for the lost reply" : "");
        if (reanswer && seeded)
        {
            await SendAnswerNowAsync(connection);
        }
    }

    /// <summary><c>clientContent{turnComplete:true}</c>: Gemini answers the latest user input in its context (a reply lost with a connection).</summary>
    private async ValueTask SendAnswerNowAsync(GeminiConnection connection)
    {
        GeminiClientMessages.AnswerNow(_upstream.StartObject());
        var json = _upstream.Finish();
        await connection.SendAsync(json, Lifetime);
        RememberForReplay(json);
        ExpectReply();
    }

    /// <summary>The handle goes to the checkpoint, with its time and the last item its state covers.</summary>
    private void RecordHandle(string handle)
    {
        var checkpoints = _context.Checkpoints;
        checkpoints.SetProviderState(HandleKey, handle);
        checkpoints.SetProviderState(HandleAtKey, Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        checkpoints.SetProviderState(HandleItemKey, CoveredItemId() ?? string.Empty);
        checkpoints.SetProviderState(HandleInputSeqKey, _coveredInput.CoveredSeq.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The last conversation item Gemini has (client items still waiting for a response.create are not sent yet).</summary>
    private string? CoveredItemId()
    {
        var items = _conversation.Items;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            var id = items[i].Id;
            if (!_manualItems.Contains(id) && !_pendingTurns.Exists(t => t.ItemId == id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The handle was refused: never try it again (nor let a later Router try it).</summary>
    private void ForgetHandle()
    {
        _resumption.Forget();
        _context.Checkpoints.SetProviderState(HandleKey, string.Empty);
        _context.Checkpoints.SetProviderState(HandleItemKey, string.Empty);
        _context.Checkpoints.SetProviderState(HandleInputSeqKey, string.Empty);
    }

    /// <summary>
    /// Gemini closed a connection that had announced goAway before the session reached a safe point: what was in
    /// flight is over (the response ends incomplete, pending tool calls become orphaned), then the connection is
    /// replaced at once — with the latest resumable handle, else by rebuilding the context — and a reply that was
    /// lost is asked for again. Caller holds the gate.
    /// </summary>
    private async ValueTask RecoverFromGoAwayCloseAsync(GeminiConnection connection, UpstreamClose close)
    {
        _logger.LogWarning("Gemini session {SessionId}: connection #{Number} closed ({Close}) before a safe point; reconnecting",
            _context.SessionId, connection.Number, close);
        // A reply was due (not a tool call waiting for its output: the client still sends that). A turn whose output
        // had all arrived (only turnComplete was awaited) or that the client cancelled is not asked again: that answered
        // a tool result twice when a connection closed during the answer's playback.
        var reanswer = _deferredCreate || _turn.LostWithConnection(awaitingToolResult: _pendingCalls.Count > 0);
        List<ConversationItem>? aborted = null;
        if (_response is { } response)
        {
            aborted = [.. response.Output];
            if (!response.AwaitingUsage)
            {
                reanswer = true;
                response.Status = "incomplete";
            }

            await FinishResponseAsync(response);
        }

        // The lost reply answers speech: a connection rebuilt from history hears that speech again instead.
        var respeak = reanswer ? _spokenTurn.UnansweredItemId : null;

        // A response.create accepted while the last response waited for usage: its answer is asked for again below.
        _deferredCreate = false;
        _turn.Reset();
        foreach (var (callId, name) in _pendingCalls)
        {
            _orphanedCalls[callId] = name;
        }

        _pendingCalls.Clear();
        foreach (var (callId, name, output) in _pendingToolOutputs)
        {
            _orphanedCalls.Remove(callId);
            _pendingTurns.Add(new PendingTurn("user", ConversationHistory.FunctionResultText(name, output), null));
        }

        _pendingToolOutputs.Clear();
        RequestReconnect("connection closed after goAway");
        await BeginSwitchAsync(reanswer, aborted, respeak);
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>
    /// A switch forced by the provider (its goAway, or a connection it dropped) is a continuity event for the session's
    /// quality record; a switch the client asked for (a setup change) is not.
    /// </summary>
    private void ReportSwitch(string reason, int number, bool resumed, TimeSpan took)
    {
        var kind = reason.Contains("goAway", StringComparison.Ordinal) ? "provider_rollover"
            : reason.Contains("closed", StringComparison.Ordinal) ? "provider_reconnect"
            : null;
        if (kind is not null)
            _context.ReportContinuity?.Invoke(kind, took, $"connection #{number} ({reason}; {(resumed ? "resumed" : "rebuilt")})");
    }
}
