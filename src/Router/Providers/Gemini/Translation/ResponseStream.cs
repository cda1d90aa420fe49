using System.Text.Json;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The OpenAI response being synthesised from Gemini's model turn, and the server events that show it to the client:
/// response.created, the streamed assistant message (output item, content part, transcript, the done events),
/// function-call items and response.done. It keeps the local conversation in step. When a response starts or ends is
/// the session's decision; this type only writes what that means. Callers hold the session's gate.
/// </summary>
internal sealed class ResponseStream(ClientEventStream events, LocalConversation conversation, UsageAccounting usage)
{
    /// <summary>The response in flight (until its response.done).</summary>
    public RealtimeResponse? Current { get; private set; }

    /// <summary>The audio part of the last closed assistant message (late transcript fragments land here).</summary>
    public ItemContent? LastAssistantPart { get; private set; }

    /// <summary>Opens a response for <paramref name="config"/> (response.created).</summary>
    public async ValueTask<RealtimeResponse> OpenAsync(RealtimeSessionConfig config)
    {
        var response = new RealtimeResponse(config, conversation.Id);
        Current = response;
        await EmitResponseEventAsync("response.created"u8, response);
        return response;
    }

    /// <summary>The assistant audio message being streamed in <paramref name="response"/>; opens it (output_item.added, item.added, content_part.added).</summary>
    public async ValueTask<(ConversationItem Item, ItemContent Part)> OpenMessageAsync(RealtimeResponse response)
    {
        if (response.OpenMessage is { } open)
        {
            return (open, response.OpenPart!);
        }

        var item = new ConversationItem { Id = RealtimeIds.New("item"), Type = "message", Role = "assistant", Status = "in_progress" };
        var index = response.Output.Count;
        response.Output.Add(item);
        var previous = conversation.Insert(item);
        response.OpenMessage = item;
        response.OpenMessageIndex = index;
        response.Transcript.Clear();

        await EmitOutputItemAsync("response.output_item.added"u8, response, index, item);
        await events.EmitItemEventAsync("conversation.item.added"u8, item, previous);

        var part = new ItemContent { Type = "output_audio", Transcript = string.Empty };
        item.Content.Add(part);
        response.OpenPart = part;
        var w = StartContentEvent("response.content_part.added"u8, response);
        WritePart(w, part);
        await events.EmitAsync();
        return (item, part);
    }

    /// <summary>A fragment of the open message's transcript (response.output_audio_transcript.delta).</summary>
    public ValueTask TranscriptDeltaAsync(RealtimeResponse response, string text)
    {
        response.Transcript.Append(text);
        var w = StartContentEvent("response.output_audio_transcript.delta"u8, response);
        w.WriteString("delta"u8, text);
        return events.EmitAsync();
    }

    /// <summary>Ends the streamed message: output_audio.done, transcript.done, content_part.done, output_item.done, item.done.</summary>
    public async ValueTask CloseMessageAsync(RealtimeResponse response, string status)
    {
        if (response.OpenMessage is not { } item)
        {
            return;
        }

        var part = response.OpenPart!;
        part.Transcript = response.Transcript.ToString();
        item.Status = status;

        StartContentEvent("response.output_audio.done"u8, response);
        await events.EmitAsync();
        var w = StartContentEvent("response.output_audio_transcript.done"u8, response);
        w.WriteString("transcript"u8, part.Transcript);
        await events.EmitAsync();
        w = StartContentEvent("response.content_part.done"u8, response);
        WritePart(w, part);
        await events.EmitAsync();

        await EmitOutputItemAsync("response.output_item.done"u8, response, response.OpenMessageIndex, item);
        await events.EmitItemEventAsync("conversation.item.done"u8, item, conversation.PreviousIdOf(item));
        LastAssistantPart = part;
        response.OpenMessage = null;
        response.OpenPart = null;
    }

    /// <summary>
    /// response.done for <paramref name="response"/> if it is the current one (closing any open item first), with the part
    /// of Gemini's usage no response took yet; returns whether it was.
    /// </summary>
    public async ValueTask<bool> FinishAsync(RealtimeResponse response)
    {
        if (Current != response)
        {
            return false;
        }

        var completed = response.Status is "in_progress" or "completed";
        await CloseMessageAsync(response, completed ? "completed" : "incomplete");
        if (response.Status == "in_progress")
        {
            response.Status = "completed";
        }

        response.Usage = usage.TakeForResponse();
        Current = null;
        await EmitResponseEventAsync("response.done"u8, response);
        return true;
    }

    /// <summary>An event whose payload is the response object (response.created, response.done).</summary>
    private ValueTask EmitResponseEventAsync(ReadOnlySpan<byte> type, RealtimeResponse response)
    {
        var w = events.StartEvent(type);
        w.WritePropertyName("response"u8);
        response.WriteTo(w);
        return events.EmitAsync();
    }

    /// <summary>
    /// A function call of Gemini's toolCall as a complete output item of <paramref name="response"/>: output_item.added,
    /// item.added, the arguments (one delta, then done), output_item.done, item.done.
    /// </summary>
    public async ValueTask FunctionCallAsync(RealtimeResponse response, string callId, string name, string arguments)
    {
        var item = new ConversationItem
        {
            Id = RealtimeIds.New("item"),
            Type = "function_call",
            Status = "in_progress",
            CallId = callId,
            Name = name,
        };
        var index = response.Output.Count;
        response.Output.Add(item);
        var previous = conversation.Insert(item);

        await EmitOutputItemAsync("response.output_item.added"u8, response, index, item);
        await events.EmitItemEventAsync("conversation.item.added"u8, item, previous);

        var w = StartCallEvent("response.function_call_arguments.delta"u8, response, item, index);
        w.WriteString("delta"u8, arguments);
        await events.EmitAsync();
        item.Arguments = arguments;
        item.Status = "completed";
        w = StartCallEvent("response.function_call_arguments.done"u8, response, item, index);
        w.WriteString("name"u8, name);
        w.WriteString("arguments"u8, arguments);
        await events.EmitAsync();

        await EmitOutputItemAsync("response.output_item.done"u8, response, index, item);
        await events.EmitItemEventAsync("conversation.item.done"u8, item, previous);
    }

    /// <summary>
    /// Extension event <c>response.function_call.cancelled</c>: the model no longer waits for this call's output (an
    /// output sent anyway stays in the local conversation only). Whoever runs the tool (the platform's tools layer, or
    /// the client) can stop it; clients that do not know the event ignore it.
    /// </summary>
    public ValueTask FunctionCallCancelledAsync(string callId)
    {
        var w = events.StartEvent("response.function_call.cancelled"u8);
        w.WriteString("call_id"u8, callId);
        if (conversation.FindFunctionCall(callId) is { } item)
        {
            w.WriteString("item_id"u8, item.Id);
        }

        return events.EmitAsync();
    }

    private ValueTask EmitOutputItemAsync(ReadOnlySpan<byte> type, RealtimeResponse response, int index, ConversationItem item)
    {
        var w = events.StartEvent(type);
        w.WriteString("response_id"u8, response.Id);
        w.WriteNumber("output_index"u8, index);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        return events.EmitAsync();
    }

    private Utf8JsonWriter StartContentEvent(ReadOnlySpan<byte> type, RealtimeResponse response)
    {
        var w = events.StartEvent(type);
        w.WriteString("response_id"u8, response.Id);
        w.WriteString("item_id"u8, response.OpenMessage!.Id);
        w.WriteNumber("output_index"u8, response.OpenMessageIndex);
        w.WriteNumber("content_index"u8, 0);
        return w;
    }

    private Utf8JsonWriter StartCallEvent(ReadOnlySpan<byte> type, RealtimeResponse response, ConversationItem item, int index)
    {
        var w = events.StartEvent(type);
        w.WriteString("response_id"u8, response.Id);
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, index);
        w.WriteString("call_id"u8, item.CallId);
        return w;
    }

    private static void WritePart(Utf8JsonWriter w, ItemContent part)
    {
        w.WriteStartObject("part"u8);
        w.WriteString("type"u8, "audio"u8);
        w.WriteString("transcript"u8, part.Transcript ?? string.Empty);
        w.WriteEndObject();
    }
}
