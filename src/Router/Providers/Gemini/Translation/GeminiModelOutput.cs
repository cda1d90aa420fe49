using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Gemini's model turns as OpenAI responses. A response opens on response.create or, for a turn Gemini starts itself
/// (server VAD), with its first output; the model's audio, transcript and function calls stream into it; output ends
/// on generationComplete or a barge-in; response.done waits for the turnComplete frame that carries the turn's usage, at
/// most <see cref="GeminiProviderOptions.UsageWait"/>. The session says when input arrives; this says what the
/// model's side of the turn means for the client. Callers hold the session's gate (the usage timer takes it itself).
/// </summary>
internal sealed class GeminiModelOutput(
    IGeminiModelOutputOwner owner,
    ResponseStream responses,
    UsageAccounting usage,
    GeminiFunctionCalls calls,
    GeminiAudioCodec audio,
    ISessionEventSink sink,
    GeminiProviderOptions options,
    TimeProvider time,
    ILogger logger,
    string sessionId,
    CancellationToken lifetime)
{
    /// <summary>What Gemini's model turn is doing (running, output over, being dropped, reply due).</summary>
    public GeminiModelTurn Turn { get; } = new();

    /// <summary>The response in flight (until its response.done).</summary>
    public RealtimeResponse? Current => responses.Current;

    /// <summary>A response.create accepted while the previous response only waited for usage; opens after its response.done.</summary>
    public bool DeferredCreate { get; private set; }

    /// <summary>The conversation holds assistant audio (session.update may then no longer change the voice).</summary>
    public bool AssistantAudioPresent { get; set; }

    /// <summary>
    /// response.create: <paramref name="trigger"/> sends what makes Gemini answer, and the response opens, or, when the
    /// current response only waits for its usage, opens after that one's response.done. An error if one is active.
    /// </summary>
    /// <param name="continuesAsyncCall">
    /// The trigger carries results of asynchronous (3.8 NON_BLOCKING) calls: the model may still be speaking after its
    /// toolCall (a filler), and answers the results once idle, so the response opens after the one in flight.
    /// </param>
    public async ValueTask<ClientError?> CreateAsync(Func<ValueTask> trigger, bool continuesAsyncCall = false)
    {
        if (responses.Current is { } active)
        {
            if ((!active.AwaitingUsage && !continuesAsyncCall) || DeferredCreate)
            {
                return new ClientError("conversation_already_has_active_response",
                    $"Conversation already has an active response in progress: {active.Id}. Wait until the response is finished before creating a new one.", null);
            }

            // The previous response's output is complete and only waits for Gemini's usage: send the new input now
            // (it ends Gemini's turn at once) and open the new response after the old one's response.done.
            DeferredCreate = true;
            await trigger();
            return null;
        }

        await trigger();
        await responses.OpenAsync(owner.Config);
        return null;
    }

    /// <summary>response.cancel: the response ends cancelled (<paramref name="cancelUpstream"/> stops Gemini's turn if output was still coming).</summary>
    public async ValueTask<ClientError?> CancelAsync(string? responseId, Func<ValueTask> cancelUpstream)
    {
        if (responses.Current is not { } response || (responseId is not null && responseId != response.Id))
        {
            return new ClientError("response_cancel_not_active", "Cancellation failed: no active response found", null);
        }

        if (!response.AwaitingUsage)
        {
            response.Status = "cancelled";
            response.Reason = "client_cancelled";
            await cancelUpstream();
        }

        await FinishResponseAsync(response);
        await AfterResponseAsync();
        return null;
    }

    /// <summary>
    /// The connection closed before a safe point: what was in flight is over (the response ends incomplete) and the
    /// turn starts afresh on the next connection. Returns whether a reply was lost (it is asked for again) and the
    /// output of the cut response.
    /// </summary>
    public async ValueTask<(bool Reanswer, List<ConversationItem>? Aborted)> ConnectionLostAsync(bool awaitingToolResult)
    {
        // A reply was due (not a tool call waiting for its output: the client still sends that). A turn whose output
        // had all arrived (only turnComplete was awaited) or that the client cancelled is not asked again: that answered
        // a tool result twice when a connection closed during the answer's playback.
        var reanswer = DeferredCreate || Turn.LostWithConnection(awaitingToolResult);
        List<ConversationItem>? aborted = null;
        if (responses.Current is { } response)
        {
            aborted = [.. response.Output];
            if (!response.AwaitingUsage)
            {
                reanswer = true;
                response.Status = "incomplete";
            }

            await FinishResponseAsync(response);
        }

        // A response.create accepted while the last response waited for usage: its answer is asked for again.
        DeferredCreate = false;
        Turn.Reset();
        return (reanswer, aborted);
    }

    /// <summary>Model output starts or continues: the turn is Gemini's answer to the latest input.</summary>
    private async ValueTask<bool> AcceptModelOutputAsync()
    {
        if (!Turn.AcceptOutput())
        {
            if (!Turn.Discarding)
            {
                logger.LogDebug("Gemini session {SessionId}: model output after the turn's output ended; dropped", sessionId);
            }

            return false;
        }

        await owner.CompleteInputTranscriptionAsync();
        return true;
    }

    public async ValueTask OnModelAudioAsync(JsonElement data)
    {
        if (!await AcceptModelOutputAsync())
        {
            return;
        }

        var pcm = audio.DecodeModelAudio(data);
        if (pcm.IsEmpty)
        {
            return;
        }

        var response = await CurrentResponseAsync();
        var (item, part) = await responses.OpenMessageAsync(response);
        part.AudioMs += pcm.Length / 48.0;
        AssistantAudioPresent = true;
        await sink.AudioDeltaAsync(new OutputAudioRef(response.Id, item.Id, response.OpenMessageIndex, 0), pcm, 24000, lifetime);
    }

    public async ValueTask OnOutputTranscriptAsync(string text)
    {
        if (text.Length == 0 || Turn.Discarding)
        {
            return;
        }

        if (Turn.OutputEnded)
        {
            // A fragment after generationComplete / interrupted: the streams are closed; keep it on the item only.
            if (responses.LastAssistantPart is { } last)
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
        await responses.OpenMessageAsync(response);
        await responses.TranscriptDeltaAsync(response, text);
    }

    public async ValueTask OnGenerationCompleteAsync()
    {
        if (!Turn.EndOutput())
        {
            return;
        }

        if (responses.Current is { } response)
        {
            await EndOutputAsync(response, "completed");
        }
    }

    /// <summary>
    /// Barge-in: Gemini discarded the rest of its turn. The in-flight response ends cancelled (turn_detected); the
    /// user's speech_started reaches the client first (the router VAD normally sent it already).
    /// </summary>
    public async ValueTask OnInterruptedAsync()
    {
        if (Turn.Discarding)
        {
            return;
        }

        if (responses.Current is not { AwaitingUsage: false } response)
        {
            // Interrupted after the output had ended (during playback) or with nothing in flight: nothing to cancel.
            logger.LogDebug("Gemini session {SessionId}: interrupted with no output in flight", sessionId);
            return;
        }

        await owner.InterruptedAsync();

        Turn.EndOutput();
        response.Status = "cancelled";
        response.Reason = "turn_detected";
        await EndOutputAsync(response, "incomplete");
    }

    /// <summary>turnComplete; <paramref name="moreToCome"/>: its interactionStatus says the model has more to say (3.8).</summary>
    public async ValueTask OnTurnCompleteAsync(bool moreToCome = false)
    {
        var discarded = Turn.Complete(moreToCome);
        if (!discarded)
        {
            await owner.CompleteInputTranscriptionAsync();
        }

        if (responses.Current is { } response && (response.AwaitingUsage || !discarded))
        {
            await FinishResponseAsync(response);
        }

        var unattributed = usage.EndTurn();
        if (!unattributed.IsZero)
        {
            logger.LogDebug("Gemini session {SessionId}: {Tokens} tokens of the last turn carried into the next response.done",
                sessionId, unattributed.TotalTokens);
        }

        await AfterResponseAsync();
    }

    /// <summary>toolCall.functionCalls → one function_call output item per call, then response.done (the client runs the tools).</summary>
    public async ValueTask OnToolCallAsync(JsonElement functionCalls)
    {
        if (!await AcceptModelOutputAsync())
        {
            logger.LogDebug("Gemini session {SessionId}: tool call of a cancelled turn ignored", sessionId);
            return;
        }

        var response = await CurrentResponseAsync();
        await responses.CloseMessageAsync(response, "completed");
        foreach (var call in functionCalls.EnumerateArray())
        {
            var callId = ClientJson.OptionalString(call, "id") ?? RealtimeIds.New("call");
            var name = ClientJson.OptionalString(call, "name") ?? string.Empty;
            var arguments = call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}";
            calls.Called(callId, name);
            await responses.FunctionCallAsync(response, callId, name, arguments);
            logger.LogDebug("Gemini session {SessionId}: function call {CallId} {Name}", sessionId, callId, name);
        }

        // Gemini now waits for the tool results (its turn stays open); this response is complete.
        await FinishResponseAsync(response);
    }

    /// <summary>The response model output belongs to; opens one for a turn Gemini started on its own.</summary>
    private async ValueTask<RealtimeResponse> CurrentResponseAsync()
    {
        if (responses.Current is { AwaitingUsage: true } finished)
        {
            // New output while the last response waited for usage: that turn is over.
            await FinishResponseAsync(finished);
        }

        return responses.Current ?? await responses.OpenAsync(owner.Config);
    }

    /// <summary>Output is over; response.done follows with turnComplete's usage, or after the usage wait.</summary>
    private async ValueTask EndOutputAsync(RealtimeResponse response, string itemStatus)
    {
        await responses.CloseMessageAsync(response, itemStatus);
        if (response.AwaitingUsage)
        {
            return;
        }

        response.AwaitingUsage = true;
        _ = UsageWaitAsync(response);
    }

    private async Task UsageWaitAsync(RealtimeResponse response)
    {
        try
        {
            await Task.Delay(options.UsageWait, time, lifetime);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await owner.UnderGateAsync(async () =>
        {
            if (responses.Current == response)
            {
                logger.LogDebug("Gemini session {SessionId}: no turnComplete within {Wait}; response.done with the usage seen so far",
                    sessionId, options.UsageWait);
                await FinishResponseAsync(response);
                await AfterResponseAsync();
            }
        });
    }

    /// <summary>response.done (see <see cref="ResponseStream.FinishAsync"/>); a spoken turn it completes is answered.</summary>
    private async ValueTask FinishResponseAsync(RealtimeResponse response)
    {
        // An incomplete response was cut with its connection and is asked for again.
        if (await responses.FinishAsync(response) && response.Status != "incomplete")
        {
            owner.SpokenTurnAnswered();
        }
    }

    /// <summary>After a response.done: open a deferred response, or switch connections if one is due.</summary>
    private async ValueTask AfterResponseAsync()
    {
        if (DeferredCreate && responses.Current is null)
        {
            DeferredCreate = false;
            await responses.OpenAsync(owner.Config);
        }

        await owner.ResponseSettledAsync();
    }

    /// <summary>toolCallCancellation.ids: Gemini no longer waits for these calls; the client is told (see <see cref="ResponseStream.FunctionCallCancelledAsync"/>).</summary>
    public async ValueTask OnToolCallCancellationAsync(JsonElement ids)
    {
        foreach (var id in ids.EnumerateArray())
        {
            if (id.ValueKind == JsonValueKind.String && id.GetString() is { } callId && calls.Cancel(callId))
            {
                logger.LogInformation("Gemini session {SessionId}: Gemini cancelled function call {CallId}", sessionId, callId);
                await responses.FunctionCallCancelledAsync(callId);
            }
        }
    }
}
