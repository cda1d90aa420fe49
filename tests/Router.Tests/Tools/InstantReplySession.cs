using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// A provider session at the limit of what a provider may do: it answers a tool's output at once, finishing the whole
/// reply before the output's send returns (Gemini continues after a tool response without waiting for
/// response.create). Its first response calls <see cref="ToolName"/>; session.update is echoed as session.updated.
/// </summary>
internal sealed class InstantReplySession(ISessionEventSink layer, string toolName) : IProviderSession
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _responses;

    public string ToolName => toolName;

    public Task Completion => _completion.Task;

    public ValueTask SendAudioAsync(ulong inputSeq, ReadOnlyMemory<byte> pcm16, int sampleRate, string? eventId, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public async ValueTask SendEventAsync(ulong inputSeq, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var message = JsonNode.Parse(json.Span)!.AsObject();
        var isToolOutput = message["item"] is JsonObject item && item["type"]?.GetValue<string>() == "function_call_output";
        switch (message["type"]!.GetValue<string>())
        {
            case "session.update":
                await EmitAsync(new JsonObject { ["type"] = "session.updated", ["session"] = message["session"]!.DeepClone() }, cancellationToken);
                break;
            case "response.create" when _responses == 0:
                await RespondAsync(new JsonObject
                {
                    ["type"] = "function_call", ["id"] = "item_call", ["status"] = "completed", ["call_id"] = "call_1",
                    ["name"] = toolName, ["arguments"] = """{"reason":"done"}""",
                }, cancellationToken);
                break;
            case "conversation.item.create" when isToolOutput:
                await RespondAsync(new JsonObject
                {
                    ["type"] = "message", ["id"] = "item_goodbye", ["status"] = "completed", ["role"] = "assistant",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "output_audio", ["transcript"] = "Goodbye." }),
                }, cancellationToken);
                break;
        }
    }

    public ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private async Task RespondAsync(JsonObject item, CancellationToken cancellationToken)
    {
        var id = $"resp_{++_responses}";
        await EmitAsync(new JsonObject { ["type"] = "response.created", ["response"] = new JsonObject { ["id"] = id, ["status"] = "in_progress" } }, cancellationToken);
        await EmitAsync(new JsonObject
        {
            ["type"] = "response.done",
            ["response"] = new JsonObject { ["id"] = id, ["status"] = "completed", ["output"] = new JsonArray(item) },
        }, cancellationToken);
    }

    private ValueTask EmitAsync(JsonObject message, CancellationToken cancellationToken) =>
        layer.EventAsync(CanonicalEvent.Read(Encoding.UTF8.GetBytes(message.ToJsonString())), cancellationToken);
}
