using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// Deterministic token accounting: text = ceil(characters / 4); user audio = 1 token per 100 ms and
/// assistant audio = 1 token per 50 ms (OpenAI's published realtime rates); cached = the previous
/// response's input rounded down to 64 (prompt caching works in 64-token blocks).
/// </summary>
internal static class UsageCalculator
{
    public static int TextTokens(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;
    public static int UserAudioTokens(double ms) => (int)Math.Ceiling(ms / 100.0);
    public static int AssistantAudioTokens(double ms) => (int)Math.Ceiling(ms / 50.0);

    public static (int Text, int Audio, int Image) Input(ResponseParameters p)
    {
        var text = TextTokens(p.Instructions) + (p.Tools.Count == 0 ? 0 : TextTokens(p.Tools.ToJsonString()));
        int audio = 0, image = 0;
        foreach (var item in p.Context)
        {
            text += TextTokens(item.Arguments) + TextTokens(item.Output) + TextTokens(item.Name);
            foreach (var part in item.Content)
            {
                switch (part.Type)
                {
                    case "input_text":
                    case "output_text":
                        text += TextTokens(part.Text);
                        break;
                    case "input_audio":
                        audio += part.Audio is null ? 0 : UserAudioTokens(part.Audio.DurationMs);
                        text += part.Audio is null ? TextTokens(part.Transcript) : 0;
                        break;
                    case "output_audio":
                        audio += part.Audio is null ? 0 : AssistantAudioTokens(part.Audio.DurationMs);
                        break;
                    case "input_image":
                        image += 85;
                        break;
                }
            }
        }
        return (text, audio, image);
    }
}

/// <summary>The <c>usage</c> object of response.done, split by modality as the real service reports it.</summary>
internal readonly record struct ResponseUsage(int InputText, int InputAudio, int InputImage, int Cached, int OutputText, int OutputAudio)
{
    public int InputTokens => InputText + InputAudio + InputImage;
    public int OutputTokens => OutputText + OutputAudio;
    public int TotalTokens => InputTokens + OutputTokens;

    public void WriteTo(Utf8JsonWriter w)
    {
        var cachedText = Math.Min(Cached, InputText);
        var cachedAudio = Math.Min(Cached - cachedText, InputAudio);
        w.WriteStartObject();
        w.WriteNumber("total_tokens"u8, TotalTokens);
        w.WriteNumber("input_tokens"u8, InputTokens);
        w.WriteNumber("output_tokens"u8, OutputTokens);
        w.WriteStartObject("input_token_details"u8);
        w.WriteNumber("text_tokens"u8, InputText);
        w.WriteNumber("audio_tokens"u8, InputAudio);
        w.WriteNumber("image_tokens"u8, InputImage);
        w.WriteNumber("cached_tokens"u8, cachedText + cachedAudio);
        w.WriteStartObject("cached_tokens_details"u8);
        w.WriteNumber("text_tokens"u8, cachedText);
        w.WriteNumber("audio_tokens"u8, cachedAudio);
        w.WriteNumber("image_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("output_token_details"u8);
        w.WriteNumber("text_tokens"u8, OutputText);
        w.WriteNumber("audio_tokens"u8, OutputAudio);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
