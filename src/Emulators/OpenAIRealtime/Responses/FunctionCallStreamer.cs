using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// Streams a <c>function_call</c> output item: its arguments in 12-character deltas, then
/// function_call_arguments.done and the item's done events.
/// </summary>
internal sealed class FunctionCallStreamer(
    RealtimeSession session, ActiveResponse response, ResponseOutputItems output, ResponseUsageMeter usage, ResponseGate gate)
{
    public async Task CallToolAsync(ToolCallPlan call)
    {
        ConversationItem item;
        using (await gate.EnterAsync())
        {
            if (response.Finished) return;
            item = new ConversationItem
            {
                Id = session.Ids.Next("item"), Type = "function_call", Status = "in_progress",
                Name = call.Name, CallId = session.Ids.Next("call")[..21], Arguments = "",
            };
            await output.AddAsync(item);
        }

        var args = call.Arguments;
        for (var offset = 0; offset < args.Length; offset += 12)
        {
            var delta = args.Substring(offset, Math.Min(12, args.Length - offset));
            using (await gate.EnterAsync())
            {
                if (response.Finished) return;
                item.Arguments += delta;
                usage.CountOutputText(item.Arguments);
                var w = session.Writer.Start("response.function_call_arguments.delta"u8);
                WriteCallIds(w, item);
                w.WriteString("delta"u8, delta);
                await session.SendAsync();
            }
            if (session.Options.ResponseRealtimeFactor > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 / session.Options.ResponseRealtimeFactor), session.Aborted);
            }
        }

        using (await gate.EnterAsync())
        {
            if (response.Finished) return;
            var w = session.Writer.Start("response.function_call_arguments.done"u8);
            WriteCallIds(w, item);
            w.WriteString("name"u8, item.Name);
            w.WriteString("arguments"u8, item.Arguments);
            await session.SendAsync();
            await output.CloseCurrentAsync("completed");
        }
    }

    private void WriteCallIds(Utf8JsonWriter w, ConversationItem item)
    {
        w.WriteString("response_id"u8, response.Id);
        w.WriteString("item_id"u8, item.Id);
        w.WriteNumber("output_index"u8, output.CurrentIndex);
        w.WriteString("call_id"u8, item.CallId);
    }
}
