using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Responses;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// Input audio transcription of a committed user item: GA/Azure stream word deltas then <c>.completed</c> with usage;
/// xAI (<c>grok-transcribe</c>) sends the running transcript in <c>.updated</c> events (protocol additions §9).
/// </summary>
internal sealed class InputTranscriber(RealtimeSession session)
{
    public async ValueTask TranscribeAsync(ConversationItem item)
    {
        var part = item.Content[0];
        var ms = part.Audio?.DurationMs ?? 0;
        var transcript = $"[audio {DeterministicModel.FormatSeconds(ms / 1000.0)} s]";
        if (session.Variant == ProviderVariant.Xai)
        {
            await TranscribeRunningAsync(item, transcript);
            return;
        }
        var config = session.Config;
        var writer = session.Writer;
        var model = (string?)config.Transcription?["model"] ?? "whisper-1";
        var logprobs = config.Include is System.Text.Json.Nodes.JsonArray include && include.Count > 0;

        var start = 0;
        for (var i = 1; i <= transcript.Length; i++)
        {
            if (i != transcript.Length && transcript[i] != ' ')
            {
                continue;
            }
            var w = writer.Start("conversation.item.input_audio_transcription.delta"u8);
            w.WriteString("item_id"u8, item.Id);
            w.WriteNumber("content_index"u8, 0);
            w.WriteString("delta"u8, transcript.AsSpan(start, i - start));
            if (logprobs)
            {
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
            }
            await session.SendAsync();
            start = i;
        }

        part.Transcript = transcript;
        var done = writer.Start("conversation.item.input_audio_transcription.completed"u8);
        done.WriteString("item_id"u8, item.Id);
        done.WriteNumber("content_index"u8, 0);
        done.WriteString("transcript"u8, transcript);
        done.WriteStartObject("usage"u8);
        if (model == "whisper-1")
        {
            done.WriteString("type"u8, "duration"u8);
            done.WriteNumber("seconds"u8, Math.Round(ms / 1000.0, 3));
        }
        else
        {
            var audioTokens = UsageCalculator.UserAudioTokens(ms);
            var textTokens = UsageCalculator.TextTokens(transcript);
            done.WriteString("type"u8, "tokens"u8);
            done.WriteNumber("input_tokens"u8, audioTokens);
            done.WriteNumber("output_tokens"u8, textTokens);
            done.WriteNumber("total_tokens"u8, audioTokens + textTokens);
            done.WriteStartObject("input_token_details"u8);
            done.WriteNumber("text_tokens"u8, 0);
            done.WriteNumber("audio_tokens"u8, audioTokens);
            done.WriteEndObject();
        }
        done.WriteEndObject();
        if (logprobs)
        {
            done.WriteStartArray("logprobs"u8);
            done.WriteEndArray();
        }
        await session.SendAsync();
    }

    /// <summary>xAI: one <c>.updated</c> per word with the transcript so far, then <c>.completed</c>.</summary>
    private async ValueTask TranscribeRunningAsync(ConversationItem item, string transcript)
    {
        for (var i = 1; i <= transcript.Length; i++)
        {
            if (i != transcript.Length && transcript[i] != ' ')
            {
                continue;
            }
            var w = session.Writer.Start("conversation.item.input_audio_transcription.updated"u8);
            w.WriteString("item_id"u8, item.Id);
            w.WriteString("transcript"u8, transcript.AsSpan(0, i));
            await session.SendAsync();
        }

        item.Content[0].Transcript = transcript;
        var done = session.Writer.Start("conversation.item.input_audio_transcription.completed"u8);
        done.WriteString("item_id"u8, item.Id);
        done.WriteNumber("content_index"u8, 0);
        done.WriteString("transcript"u8, transcript);
        await session.SendAsync();
    }
}
