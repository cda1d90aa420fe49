using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Sessions;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>One OpenAI response synthesized from a Gemini model turn (or the part of it after a tool output).</summary>
internal sealed class RealtimeResponse(RealtimeSessionConfig session, string conversationId)
{
    public string Id { get; } = RealtimeIds.New("resp");
    public string ConversationId { get; } = conversationId;
    public List<ConversationItem> Output { get; } = [];
    public string[] OutputModalities { get; } = (string[])session.OutputModalities.Clone();
    public int? MaxOutputTokens { get; } = session.MaxOutputTokens;
    public JsonNode OutputFormat { get; } = session.OutputFormat.DeepClone();
    public JsonNode Voice { get; } = session.Voice.DeepClone();

    /// <summary>in_progress, then completed / cancelled / incomplete / failed.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary>status_details.reason for a response that did not complete (turn_detected, client_cancelled).</summary>
    public string? Reason { get; set; }

    /// <summary>The assistant message being streamed, its output_index and its audio part.</summary>
    public ConversationItem? OpenMessage { get; set; }

    public int OpenMessageIndex { get; set; }

    public ItemContent? OpenPart { get; set; }

    public StringBuilder Transcript { get; } = new();

    /// <summary>All output has ended (generationComplete, interrupted); only usage (turnComplete) is awaited for response.done.</summary>
    public bool AwaitingUsage { get; set; }

    public TokenUsage? Usage { get; set; }

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("object"u8, "realtime.response"u8);
        w.WriteString("id"u8, Id);
        w.WriteString("status"u8, Status);
        if (Reason is null)
        {
            w.WriteNull("status_details"u8);
        }
        else
        {
            w.WriteStartObject("status_details"u8);
            w.WriteString("type"u8, Status);
            w.WriteString("reason"u8, Reason);
            w.WriteNull("error"u8);
            w.WriteEndObject();
        }

        w.WriteStartArray("output"u8);
        foreach (var item in Output)
        {
            item.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteString("conversation_id"u8, ConversationId);
        w.WriteStartArray("output_modalities"u8);
        foreach (var m in OutputModalities)
        {
            w.WriteStringValue(m);
        }

        w.WriteEndArray();
        RealtimeSessionConfig.WriteMaxOutputTokens(w, MaxOutputTokens);
        w.WriteStartObject("audio"u8);
        w.WriteStartObject("output"u8);
        w.WritePropertyName("format"u8);
        OutputFormat.WriteTo(w);
        w.WritePropertyName("voice"u8);
        Voice.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("usage"u8);
        if (Usage is { } usage) usage.WriteTo(w); else w.WriteNullValue();
        w.WriteNull("metadata"u8);
        w.WriteEndObject();
    }
}
