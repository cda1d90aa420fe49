using System.Text;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>
/// The Realtime event types (GA client and server events, and the platform's extensions), each one string shared by
/// every reader: reading the type of a stream of events allocates nothing for a type listed here.
/// </summary>
public static class KnownEventTypes
{
    private static readonly string[] Types =
    [
        // server events
        "error", "session.created", "session.updated", "conversation.created", "conversation.item.added",
        "conversation.item.created", "conversation.item.done", "conversation.item.retrieved", "conversation.item.truncated",
        "conversation.item.deleted", "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.completed", "conversation.item.input_audio_transcription.failed",
        "conversation.item.input_audio_transcription.segment", "input_audio_buffer.committed", "input_audio_buffer.cleared",
        "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.timeout_triggered",
        "output_audio_buffer.started", "output_audio_buffer.stopped", "output_audio_buffer.cleared", "response.created",
        "response.done", "response.output_item.added", "response.output_item.done", "response.content_part.added",
        "response.content_part.done", "response.output_text.delta", "response.output_text.done",
        "response.output_audio.delta", "response.output_audio.done", "response.output_audio_transcript.delta",
        "response.output_audio_transcript.done", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "rate_limits.updated",
        // the platform's extension events (docs/realtime-protocol.md)
        "session.model_changed", "session.model_deprecated", "response.function_call.cancelled", "session.draining", "session.idle_warning",
        "session.limit_reached", "session.resumed",
        // client events
        "session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
        "output_audio_buffer.clear", "conversation.item.create", "conversation.item.retrieve", "conversation.item.truncate",
        "conversation.item.delete", "response.create", "response.cancel",
    ];

    private static readonly byte[][] Utf8 = [.. Types.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The shared string for <paramref name="utf8"/> (an unescaped type), or null when it is not listed.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < Utf8.Length; i++)
        {
            if (Utf8[i].Length == utf8.Length && utf8.SequenceEqual(Utf8[i])) return Types[i];
        }
        return null;
    }
}
