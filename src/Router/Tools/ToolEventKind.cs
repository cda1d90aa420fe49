using System.Text.Json;

namespace VoicePlatform.Router.Tools;

/// <summary>The events the server-tool layer acts on; everything else passes through untouched.</summary>
internal enum ToolEventKind : byte
{
    Other,
    // provider → client
    SessionUpdated, Error, SpeechStarted, OutputItemDone, ItemDone, ResponseDone, CallCancelled,
    // client → provider
    SessionUpdate, ResponseCreate, ResponseCancel, ItemCreate,
}

internal static class ToolEventKinds
{
    /// <summary>Reads the event's <c>type</c> without allocating (the rest of the event is skipped, not parsed).</summary>
    public static ToolEventKind Of(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return ToolEventKind.Other;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            if (!reader.Read()) return ToolEventKind.Other;
            if (!isType)
            {
                reader.TrySkip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String) return ToolEventKind.Other;
            if (reader.ValueTextEquals("response.done"u8)) return ToolEventKind.ResponseDone;
            if (reader.ValueTextEquals("response.output_item.done"u8)) return ToolEventKind.OutputItemDone;
            if (reader.ValueTextEquals("conversation.item.done"u8)) return ToolEventKind.ItemDone;
            if (reader.ValueTextEquals("input_audio_buffer.speech_started"u8)) return ToolEventKind.SpeechStarted;
            if (reader.ValueTextEquals("session.updated"u8)) return ToolEventKind.SessionUpdated;
            // Extension event (Gemini connector, from toolCallCancellation): see docs/tools.md.
            if (reader.ValueTextEquals("response.function_call.cancelled"u8)) return ToolEventKind.CallCancelled;
            if (reader.ValueTextEquals("error"u8)) return ToolEventKind.Error;
            if (reader.ValueTextEquals("session.update"u8)) return ToolEventKind.SessionUpdate;
            if (reader.ValueTextEquals("response.create"u8)) return ToolEventKind.ResponseCreate;
            if (reader.ValueTextEquals("response.cancel"u8)) return ToolEventKind.ResponseCancel;
            if (reader.ValueTextEquals("conversation.item.create"u8)) return ToolEventKind.ItemCreate;
            return ToolEventKind.Other;
        }
        return ToolEventKind.Other;
    }
}
