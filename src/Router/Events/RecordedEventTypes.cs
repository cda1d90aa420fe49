namespace VoicePlatform.Router.Events;

/// <summary>Which server events the session events record: the others pass without being parsed.</summary>
public static class RecordedEventTypes
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

    public static bool Contains(string type) => Recorded.Contains(type);
}
