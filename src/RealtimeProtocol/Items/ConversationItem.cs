using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>A conversation item in GA shape: message, function_call or function_call_output.</summary>
public sealed class ConversationItem
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string Status { get; set; } = "completed";
    public string? Role { get; init; }
    public List<ItemContent> Content { get; } = [];
    public string? CallId { get; init; }
    public string? Name { get; init; }
    public string Arguments { get; set; } = "";
    public string? Output { get; init; }

    public bool IsAssistantMessage => Type == "message" && Role == "assistant";

    /// <summary>Events never carry audio bytes (the connector does not keep them either).</summary>
    public void WriteTo(Utf8JsonWriter w)
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
                    part.WriteTo(w);
                }

                w.WriteEndArray();
                break;
            case "function_call":
                w.WriteString("status"u8, Status);
                w.WriteString("name"u8, Name);
                w.WriteString("call_id"u8, CallId);
                w.WriteString("arguments"u8, Arguments);
                break;
            case "function_call_output":
                w.WriteString("call_id"u8, CallId);
                w.WriteString("output"u8, Output ?? string.Empty);
                break;
        }

        w.WriteString("object"u8, "realtime.item"u8);
        w.WriteEndObject();
    }
}

/// <summary>One entry of a message's <c>content</c> (GA names: input_text, input_audio, output_text, output_audio).</summary>
public sealed class ItemContent
{
    public required string Type { get; init; }
    public string? Text { get; set; }
    public string? Transcript { get; set; }

    /// <summary>Audio length in ms (assistant audio: what was forwarded to the client; used by truncate).</summary>
    public double AudioMs { get; set; }

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, Type);
        switch (Type)
        {
            case "input_text" or "output_text":
                w.WriteString("text"u8, Text ?? string.Empty);
                break;
            case "input_audio" or "output_audio":
                if (Transcript is null) w.WriteNull("transcript"u8); else w.WriteString("transcript"u8, Transcript);
                break;
        }

        w.WriteEndObject();
    }
}
