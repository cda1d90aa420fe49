using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Conversation;

/// <summary>A conversation item: message, function_call or function_call_output (GA shapes, protocol §4).</summary>
internal sealed class ConversationItem
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string Status { get; set; } = "completed";
    public string? Role { get; init; }
    public List<ContentPart> Content { get; } = [];
    public string? CallId { get; init; }
    public string? Name { get; init; }
    public string? Arguments { get; set; }
    public string? Output { get; init; }

    public bool IsMessage => Type == "message";

    /// <summary>Writes the item. Events never carry audio bytes; only conversation.item.retrieved does.</summary>
    public void WriteTo(Utf8JsonWriter w, bool includeAudio = false)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, Id);
        w.WriteString("type"u8, Type);
        switch (Type)
        {
            case "message":
                w.WriteString("status"u8, Status);
                w.WriteString("role"u8, Role);
                w.WriteStartArray("content"u8);
                foreach (var part in Content)
                {
                    part.WriteTo(w, includeAudio);
                }
                w.WriteEndArray();
                break;
            case "function_call":
                w.WriteString("status"u8, Status);
                w.WriteString("name"u8, Name);
                w.WriteString("call_id"u8, CallId);
                w.WriteString("arguments"u8, Arguments ?? "");
                break;
            case "function_call_output":
                w.WriteString("call_id"u8, CallId);
                w.WriteString("output"u8, Output ?? "");
                break;
        }
        w.WriteString("object"u8, "realtime.item"u8);
        w.WriteEndObject();
    }
}
