using System.Text.Json;
using Microsoft.Extensions.Logging;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The OpenAI response lifecycle over Gemini turns. A response opens on response.create or, for turns Gemini starts
/// itself (server VAD), with the first model output. Output streams end on generationComplete; response.done waits for
/// the turnComplete frame that carries the turn's usage, at most <see cref="GeminiProviderOptions.UsageWait"/>.
/// </summary>
internal sealed partial class GeminiSession
{
    private RealtimeResponse? _response;

    /// <summary>A response.create accepted while the previous response only waited for usage; opens after its response.done.</summary>
    private bool _deferredCreate;

    /// <summary>What Gemini's model turn is doing (running, output over, being dropped, reply due).</summary>
    private readonly GeminiModelTurn _turn = new();

    private bool _assistantAudioPresent;

    /// <summary>The audio part of the last closed assistant message (late transcript fragments land here).</summary>
    private ItemContent? _lastAssistantPart;

    private async ValueTask<RealtimeResponse> OpenResponseAsync()
    {
        var response = new RealtimeResponse(_config, _conversation.Id);
        _response = response;
        var w = _events.StartEvent("response.created"u8);
        w.WritePropertyName("response"u8);
        response.WriteTo(w);
        await EmitAsync();
        return response;
    }

    /// <summary>The response model output belongs to; opens one for a turn Gemini started on its own.</summary>
    private async ValueTask<RealtimeResponse> CurrentResponseAsync()
    {
        if (_response is { AwaitingUsage: true } finished)
        {
            // New output while the last response waited for usage: that turn is over.
            await FinishResponseAsync(finished);
        }

        return _response ?? await OpenResponseAsync();
    }

    /// <summary>The assistant audio message being streamed; opens it (output_item.added, item.added, content_part.added).</summary>
    private async ValueTask<(RealtimeResponse Response, ConversationItem Item, ItemContent Part)> OpenMessageAsync()
    {
        var response = await CurrentResponseAsync();
        if (response.OpenMessage is { } open)
        {
            return (response, open, response.OpenPart!);
        }

        var item = new ConversationItem { Id = RealtimeIds.New("item"), Type = "message", Role = "assistant", Status = "in_progress" };
        var index = response.Output.Count;
        response.Output.Add(item);
        var previous = _conversation.Insert(item);
        response.OpenMessage = item;
        response.OpenMessageIndex = index;
        response.Transcript.Clear();

        var w = _events.StartEvent("response.output_item.added"u8);
        w.WriteString("response_id"u8, response.Id);
        w.WriteNumber("output_index"u8, index);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await EmitAsync();
        await EmitItemEventAsync("conversation.item.added"u8, item, previous);

        var part = new ItemContent { Type = "output_audio", Transcript = string.Empty };
        item.Content.Add(part);
        response.OpenPart = part;
        w = StartContentEvent("response.content_part.added"u8, response);
        WritePart(w, part);
        await EmitAsync();
        return (response, item, part);
    }

    private System.Text.Json.Utf8JsonWriter StartContentEvent(ReadOnlySpan<byte> type, RealtimeResponse response)
    {
        var w = _events.StartEvent(type);
        w.WriteString("response_id"u8, response.Id);
        w.WriteString("item_id"u8, response.OpenMessage!.Id);
        w.WriteNumber("output_index"u8, response.OpenMessageIndex);
        w.WriteNumber("content_index"u8, 0);
        return w;
    }

    private static void WritePart(Utf8JsonWriter w, ItemContent part)
    {
        w.WriteStartObject("part"u8);
        w.WriteString("type"u8, "audio"u8);
        w.WriteString("transcript"u8, part.Transcript ?? string.Empty);
        w.WriteEndObject();
    }

    /// <summary>Ends the streamed message: output_audio.done, transcript.done, content_part.done, output_item.done, item.done.</summary>
    private async ValueTask CloseMessageAsync(RealtimeResponse response, string status)
    {
        if (response.OpenMessage is not { } item)
        {
            return;
        }

        var part = response.OpenPart!;
        part.Transcript = response.Transcript.ToString();
        item.Status = status;

        StartContentEvent("response.output_audio.done"u8, response);
        await EmitAsync();
        var w = StartContentEvent("response.output_audio_transcript.done"u8, response);
        w.WriteString("transcript"u8, part.Transcript);
        await EmitAsync();
        w = StartContentEvent("response.content_part.done"u8, response);
        WritePart(w, part);
        await EmitAsync();

        w = _events.StartEvent("response.output_item.done"u8);
        w.WriteString("response_id"u8, response.Id);
        w.WriteNumber("output_index"u8, response.OpenMessageIndex);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await EmitAsync();
        await EmitItemEventAsync("conversation.item.done"u8, item, _conversation.PreviousIdOf(item));
        _lastAssistantPart = part;
        response.OpenMessage = null;
        response.OpenPart = null;
    }

    /// <summary>Output is over; response.done follows with turnComplete's usage, or after the usage wait.</summary>
    private async ValueTask EndOutputAsync(RealtimeResponse response, string itemStatus)
    {
        await CloseMessageAsync(response, itemStatus);
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
            await Task.Delay(_options.UsageWait, Time, Lifetime);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await UnderGateAsync(async () =>
        {
            if (_response == response)
            {
                _logger.LogDebug("Gemini session {SessionId}: no turnComplete within {Wait}; response.done with the usage seen so far",
                    _context.SessionId, _options.UsageWait);
                await FinishResponseAsync(response);
                await AfterResponseAsync();
            }
        });
    }

    /// <summary>response.done (closing any open item first). Usage: the part of Gemini's usage no response took yet.</summary>
    private async ValueTask FinishResponseAsync(RealtimeResponse response)
    {
        if (_response != response)
        {
            return;
        }

        var completed = response.Status is "in_progress" or "completed";
        await CloseMessageAsync(response, completed ? "completed" : "incomplete");
        if (response.Status == "in_progress")
        {
            response.Status = "completed";
        }

        if (response.Status != "incomplete")
        {
            _spokenTurn.Answered(); // an incomplete one was cut with its connection and is asked for again
        }

        response.Usage = _usage.TakeForResponse();
        _response = null;
        var w = _events.StartEvent("response.done"u8);
        w.WritePropertyName("response"u8);
        response.WriteTo(w);
        await EmitAsync();
    }

    /// <summary>After a response.done: open a deferred response, or switch connections if one is due.</summary>
    private async ValueTask AfterResponseAsync()
    {
        if (_deferredCreate && _response is null)
        {
            _deferredCreate = false;
            await OpenResponseAsync();
        }

        await MaybeReconnectAsync();
    }

    /// <summary>
    /// Sends what makes Gemini answer: tool results (the waiting turn continues), else committed manual audio, else the
    /// pending client turns with turnComplete:true, else an empty turnComplete:true ("answer now").
    /// </summary>
    private async ValueTask SendResponseTriggerAsync()
    {
        bool newTurn;
        if (_pendingToolOutputs.Count > 0)
        {
            GeminiClientMessages.ToolResponse(_upstream.StartObject(), _pendingToolOutputs);
            foreach (var (callId, _, _) in _pendingToolOutputs)
            {
                _pendingCalls.Remove(callId);
            }

            await SendUpstreamAsync();
            _pendingToolOutputs.Clear();
            await FlushPendingTurnsAsync(turnComplete: false);
            newTurn = false;
        }
        else if (!_config.ServerVad && _manualCommittedBytes > 0)
        {
            await FlushPendingTurnsAsync(turnComplete: false);
            await SendCommittedManualAudioAsync();
            newTurn = true;
        }
        else
        {
            await FlushPendingTurnsAsync(turnComplete: true, always: true);
            newTurn = true;
        }

        _turn.Asked(newTurn);
        _upstreamHasContext = true;
    }

    /// <summary>Sends pending client turns as clientContent; with <paramref name="always"/>, even an empty turnComplete.</summary>
    private async ValueTask FlushPendingTurnsAsync(bool turnComplete, bool always = false)
    {
        if (_pendingTurns.Count == 0 && !always)
        {
            return;
        }

        GeminiClientMessages.ClientContent(_upstream.StartObject(), _pendingTurns, turnComplete);
        _pendingTurns.Clear();
        _upstreamHasContext = true;
        await SendUpstreamAsync();
    }

    /// <summary>
    /// response.cancel: with manual turns, activityStart/activityEnd make Gemini interrupt the turn (only what was sent
    /// stays in its history). With automatic VAD Gemini has no cancel signal (activity signals close the socket 1007):
    /// the rest of the turn is dropped here, while Gemini finishes it in its own history.
    /// </summary>
    private async ValueTask CancelUpstreamTurnAsync()
    {
        if (!_turn.Cancel())
        {
            return;
        }

        if (!_applied.ServerVad)
        {
            GeminiClientMessages.ActivityStart(_upstream.StartObject());
            await SendUpstreamAsync();
            GeminiClientMessages.ActivityEnd(_upstream.StartObject());
            await SendUpstreamAsync();
        }
    }

    /// <summary>The router VAD ended a user turn: Gemini's reply is expected (blocks a reconnect for a while).</summary>
    private void ExpectReply() => _turn.ExpectReply(Time.GetUtcNow());
}
