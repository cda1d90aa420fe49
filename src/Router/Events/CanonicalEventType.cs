using System.Text.Json;

namespace VoicePlatform.Router.Events;

/// <summary>Reads a server event's <c>type</c> without parsing the rest, so events nobody records cost next to nothing.</summary>
public static class CanonicalEventType
{
    private static readonly HashSet<string> Recorded = new(StringComparer.Ordinal)
    {
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "conversation.item.input_audio_transcription.completed",
        "conversation.item.done",
        "response.created",
        "response.output_audio_transcript.done",
        "response.output_text.done",
        "response.done",
    };

    public static bool IsRecorded(string type) => Recorded.Contains(type);

    public static string? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            if (!reader.Read()) return null;
            if (isType) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
        }
        return null;
    }
}
