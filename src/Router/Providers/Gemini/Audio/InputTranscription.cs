using Microsoft.Extensions.Logging;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Gemini's transcription of the user's speech onto the user's audio item: its deltas and its completion as OpenAI
/// events when the client asked for transcription, and the words on the item (and in the checkpointed history)
/// either way. Callers hold the session's gate.
/// </summary>
internal sealed class InputTranscription(
    GeminiUserTurn user, LocalConversation conversation, ClientEventStream events, ISessionCheckpoints checkpoints, ILogger logger, string sessionId)
{
    /// <summary>A fragment of Gemini's inputTranscription for the user item being transcribed; <paramref name="finished"/> completes it.</summary>
    public async ValueTask AddAsync(string text, bool finished, bool clientWantsEvents)
    {
        if (user.TranscribingItemId is not { } itemId)
        {
            logger.LogDebug("Gemini session {SessionId}: input transcription without a pending user item; dropped", sessionId);
            return;
        }

        if (text.Length > 0)
        {
            user.AddTranscription(text);
            if (!clientWantsEvents) return; // kept for the history only (see CompleteAsync)
            var w = events.StartEvent("conversation.item.input_audio_transcription.delta"u8);
            w.WriteString("item_id"u8, itemId);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("delta"u8, text);
            await events.EmitAsync();
        }

        if (finished)
        {
            await CompleteAsync(clientWantsEvents);
        }
    }

    /// <summary>conversation.item.input_audio_transcription.completed for the pending user item, once it has text.</summary>
    public async ValueTask CompleteAsync(bool clientWantsEvents)
    {
        if (!user.TakeTranscript(out var itemId, out var transcript))
        {
            return;
        }

        double seconds = 0;
        if (conversation.TryGet(itemId, out var item) && item.Content.Count > 0)
        {
            item.Content[0].Transcript = transcript;
            seconds = item.Content[0].AudioMs / 1000.0;
        }

        if (!clientWantsEvents)
        {
            // The client did not ask for transcription events; the checkpointed history still gets the words.
            checkpoints.RecordTranscript(itemId, 0, transcript);
            return;
        }

        var w = events.StartEvent("conversation.item.input_audio_transcription.completed"u8);
        w.WriteString("item_id"u8, itemId);
        w.WriteNumber("content_index"u8, 0);
        w.WriteString("transcript"u8, transcript);
        w.WriteStartObject("usage"u8);
        w.WriteString("type"u8, "duration"u8);
        w.WriteNumber("seconds"u8, Math.Round(seconds, 3));
        w.WriteEndObject();
        await events.EmitAsync();
    }
}
