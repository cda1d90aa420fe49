using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Xai;

/// <summary>
/// The session object of xAI's session.created / session.updated: <c>voice</c> and <c>turn_detection</c> at the top
/// level (where xAI takes them), audio formats and input transcription under <c>audio</c>.
/// </summary>
internal static class XaiSessionWriter
{
    public static void Write(Utf8JsonWriter w, SessionConfig config)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, config.Id);
        w.WriteString("object"u8, "realtime.session"u8);
        w.WriteString("model"u8, config.Model);
        w.WriteString("instructions"u8, config.Instructions);
        w.WritePropertyName("voice"u8);
        config.Voice.WriteTo(w);
        w.WritePropertyName("turn_detection"u8);
        // Never null on xAI: server VAD cannot be turned off.
        (config.TurnDetection ?? new TurnDetectionConfig()).WriteTo(w);
        w.WriteStartObject("audio"u8);
        w.WriteStartObject("input"u8);
        w.WritePropertyName("format"u8);
        config.InputFormat.WriteTo(w);
        w.WritePropertyName("transcription"u8);
        if (config.Transcription is null) w.WriteNullValue(); else config.Transcription.WriteTo(w);
        w.WriteEndObject();
        w.WriteStartObject("output"u8);
        w.WritePropertyName("format"u8);
        config.OutputFormat.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("tools"u8);
        config.Tools.WriteTo(w);
        w.WritePropertyName("tool_choice"u8);
        config.ToolChoice.WriteTo(w);
        w.WriteNumber("expires_at"u8, config.ExpiresAt);
        w.WriteEndObject();
    }
}
