using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Gemini server messages → OpenAI server events.</summary>
internal sealed partial class GeminiSession
{
    private ValueTask OnUpstreamMessageAsync(GeminiConnection connection, ReadOnlyMemory<byte> message) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Gemini session {SessionId}: unparsable server message ignored: {Message}", _context.SessionId, ex.Message);
            return;
        }

        using (document)
        {
            await HandleServerMessageAsync(GeminiServerMessage.Read(document.RootElement));
        }
    });

    private ValueTask OnUpstreamClosedAsync(GeminiConnection connection, UpstreamClose close) => UnderGateAsync(async () =>
    {
        if (connection != _link.Current)
        {
            return;
        }

        if (_link.Switching)
        {
            // Already being replaced (the switch retires it): nothing is lost.
            _logger.LogInformation("Gemini session {SessionId}: connection #{Number} closed ({Close}) while being replaced", _context.SessionId, connection.Number, close);
            return;
        }

        if (_link.GoAwayPending)
        {
            // The announced end of the connection came before a safe point: roll over now instead of failing.
            await RecoverFromGoAwayCloseAsync(connection, close);
            return;
        }

        if (_dropRecovery.TryRecover(close))
        {
            // A drop without goAway (network, server restart, internal error) is recovered like a late goAway close:
            // resumed with the latest handle (or rebuilt), what was in flight asked for again. A provider that keeps
            // dropping exhausts the allowance and the session ends as before.
            _logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped ({Close}); reconnecting", _context.SessionId, connection.Number, close);
            await RecoverFromGoAwayCloseAsync(connection, close);
            return;
        }

        _logger.LogWarning("Gemini session {SessionId}: connection #{Number} dropped: {Close}", _context.SessionId, connection.Number, close);
        var code = close.ToConnectException().Code;
        await FailAsync(code, $"The model provider closed the connection ({close}).");
    });

    private async ValueTask HandleServerMessageAsync(GeminiServerMessage message)
    {
        // Usage first: a turnComplete frame carries the usage its response.done needs.
        if (message.Usage.ValueKind == JsonValueKind.Object)
        {
            _usage.Observe(TokenUsage.FromGemini(message.Usage));
        }

        if (message.HasContent)
        {
            await OnServerContentAsync(message.Content);
        }

        if (message.FunctionCalls.ValueKind == JsonValueKind.Array)
        {
            await OnToolCallAsync(message.FunctionCalls);
        }

        if (message.CancelledCallIds.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in message.CancelledCallIds.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.String && id.GetString() is { } callId && _calls.Cancel(callId))
                {
                    _logger.LogInformation("Gemini session {SessionId}: Gemini cancelled function call {CallId}", _context.SessionId, callId);
                    await _responses.FunctionCallCancelledAsync(callId);
                }
            }
        }

        if (message.Resumption is { } resumption)
        {
            _link.OnResumptionUpdate(resumption);
            await MaybeReconnectAsync();
        }

        if (message.GoAway)
        {
            _logger.LogInformation("Gemini session {SessionId}: goAway on connection #{Number} (time left {TimeLeft}); rolling over at the next safe point",
                _context.SessionId, _link.Current?.Number, message.GoAwayTimeLeft ?? "?");
            _link.GoAway();
            await MaybeReconnectAsync();
        }
    }

    private async ValueTask OnServerContentAsync(GeminiServerContent content)
    {
        if (content.InputTranscription is { } inputText)
        {
            await OnInputTranscriptionAsync(inputText, content.InputTranscriptionFinished);
        }

        if (content.ModelParts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.ModelParts.EnumerateArray())
            {
                if (GeminiServerContent.TryGetAudio(part, out var data))
                {
                    await OnModelAudioAsync(data);
                }
            }
        }

        if (content.OutputTranscription is { } outputText)
        {
            await OnOutputTranscriptAsync(outputText);
        }

        if (content.GenerationComplete)
        {
            await OnGenerationCompleteAsync();
        }

        if (content.Interrupted)
        {
            await OnInterruptedAsync();
        }

        if (content.TurnComplete)
        {
            await OnTurnCompleteAsync();
        }
    }

    /// <summary>Model output starts or continues: the turn is Gemini's answer to the latest input.</summary>
    private async ValueTask<bool> AcceptModelOutputAsync()
    {
        if (!_turn.AcceptOutput())
        {
            if (!_turn.Discarding)
            {
                _logger.LogDebug("Gemini session {SessionId}: model output after the turn's output ended; dropped", _context.SessionId);
            }

            return false;
        }

        await CompleteInputTranscriptionAsync();
        return true;
    }

    private async ValueTask OnModelAudioAsync(JsonElement data)
    {
        if (!await AcceptModelOutputAsync())
        {
            return;
        }

        var pcm = _audio.DecodeModelAudio(data);
        if (pcm.IsEmpty)
        {
            return;
        }

        var response = await CurrentResponseAsync();
        var (item, part) = await _responses.OpenMessageAsync(response);
        part.AudioMs += pcm.Length / 48.0;
        _assistantAudioPresent = true;
        await _sink.AudioDeltaAsync(new Sessions.OutputAudioRef(response.Id, item.Id, response.OpenMessageIndex, 0), pcm, 24000, Lifetime);
    }

    private async ValueTask OnOutputTranscriptAsync(string text)
    {
        if (text.Length == 0 || _turn.Discarding)
        {
            return;
        }

        if (_turn.OutputEnded)
        {
            // A fragment after generationComplete / interrupted: the streams are closed; keep it on the item only.
            if (_responses.LastAssistantPart is { } last)
            {
                last.Transcript += text;
            }

            return;
        }

        if (!await AcceptModelOutputAsync())
        {
            return;
        }

        var response = await CurrentResponseAsync();
        await _responses.OpenMessageAsync(response);
        await _responses.TranscriptDeltaAsync(response, text);
    }

    private async ValueTask OnGenerationCompleteAsync()
    {
        if (!_turn.EndOutput())
        {
            return;
        }

        if (_responses.Current is { } response)
        {
            await EndOutputAsync(response, "completed");
        }
    }

    /// <summary>
    /// Barge-in: Gemini discarded the rest of its turn. The in-flight response ends cancelled (turn_detected); the
    /// user's speech_started reaches the client first (the router VAD normally sent it already).
    /// </summary>
    private async ValueTask OnInterruptedAsync()
    {
        if (_turn.Discarding)
        {
            return;
        }

        if (_responses.Current is not { AwaitingUsage: false } response)
        {
            // Interrupted after the output had ended (during playback) or with nothing in flight: nothing to cancel.
            _logger.LogDebug("Gemini session {SessionId}: interrupted with no output in flight", _context.SessionId);
            return;
        }

        if (_config.ServerVad && _user.SpeechItemId is null)
        {
            // Gemini heard speech the router VAD did not (yet): announce it so the client stops playback.
            await OnSpeechStartedAsync(_user.InputMs);
        }

        _turn.EndOutput();
        response.Status = "cancelled";
        response.Reason = "turn_detected";
        await EndOutputAsync(response, "incomplete");
    }

    private async ValueTask OnTurnCompleteAsync()
    {
        var discarded = _turn.Complete();
        _link.TurnCompleted();
        if (!discarded)
        {
            await CompleteInputTranscriptionAsync();
        }

        if (_responses.Current is { } response && (response.AwaitingUsage || !discarded))
        {
            await FinishResponseAsync(response);
        }

        var unattributed = _usage.EndTurn();
        if (!unattributed.IsZero)
        {
            _logger.LogDebug("Gemini session {SessionId}: {Tokens} tokens of the last turn carried into the next response.done",
                _context.SessionId, unattributed.TotalTokens);
        }

        await AfterResponseAsync();
    }

    /// <summary>toolCall.functionCalls → one function_call output item per call, then response.done (the client runs the tools).</summary>
    private async ValueTask OnToolCallAsync(JsonElement calls)
    {
        if (!await AcceptModelOutputAsync())
        {
            _logger.LogDebug("Gemini session {SessionId}: tool call of a cancelled turn ignored", _context.SessionId);
            return;
        }

        var response = await CurrentResponseAsync();
        await _responses.CloseMessageAsync(response, "completed");
        foreach (var call in calls.EnumerateArray())
        {
            var callId = ClientJson.OptionalString(call, "id") ?? RealtimeIds.New("call");
            var name = ClientJson.OptionalString(call, "name") ?? string.Empty;
            var arguments = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}";
            _calls.Called(callId, name);
            await _responses.FunctionCallAsync(response, callId, name, arguments);
            _logger.LogDebug("Gemini session {SessionId}: function call {CallId} {Name}", _context.SessionId, callId, name);
        }

        // Gemini now waits for the tool results (its turn stays open); this response is complete.
        await FinishResponseAsync(response);
    }
}
