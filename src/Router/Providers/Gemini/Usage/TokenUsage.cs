using System.Text.Json;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// Token counts in OpenAI's response.usage terms, mapped from Gemini's usageMetadata:
/// input = promptTokenCount + toolUsePromptTokenCount (details per modality; IMAGE, VIDEO and DOCUMENT count as image),
/// cached = cachedContentTokenCount (cacheTokensDetails), output = responseTokenCount + thoughtsTokenCount
/// (thoughts as text). Gemini omits zero values (proto3 JSON), so missing fields are 0.
/// </summary>
internal readonly record struct TokenUsage(
    int InputText, int InputAudio, int InputImage, int InputOther,
    int CachedText, int CachedAudio, int CachedImage, int CachedOther,
    int OutputText, int OutputAudio, int OutputOther)
{
    public int InputTokens => InputText + InputAudio + InputImage + InputOther;
    public int CachedTokens => CachedText + CachedAudio + CachedImage + CachedOther;
    public int OutputTokens => OutputText + OutputAudio + OutputOther;
    public int TotalTokens => InputTokens + OutputTokens;
    public bool IsZero => TotalTokens == 0 && CachedTokens == 0;

    public static TokenUsage operator +(TokenUsage a, TokenUsage b) => new(
        a.InputText + b.InputText, a.InputAudio + b.InputAudio, a.InputImage + b.InputImage, a.InputOther + b.InputOther,
        a.CachedText + b.CachedText, a.CachedAudio + b.CachedAudio, a.CachedImage + b.CachedImage, a.CachedOther + b.CachedOther,
        a.OutputText + b.OutputText, a.OutputAudio + b.OutputAudio, a.OutputOther + b.OutputOther);

    /// <summary>Field-wise difference, never below zero.</summary>
    public static TokenUsage operator -(TokenUsage a, TokenUsage b) => new(
        Sub(a.InputText, b.InputText), Sub(a.InputAudio, b.InputAudio), Sub(a.InputImage, b.InputImage), Sub(a.InputOther, b.InputOther),
        Sub(a.CachedText, b.CachedText), Sub(a.CachedAudio, b.CachedAudio), Sub(a.CachedImage, b.CachedImage), Sub(a.CachedOther, b.CachedOther),
        Sub(a.OutputText, b.OutputText), Sub(a.OutputAudio, b.OutputAudio), Sub(a.OutputOther, b.OutputOther));

    private static int Sub(int a, int b) => Math.Max(0, a - b);

    public static TokenUsage FromGemini(JsonElement usage)
    {
        var prompt = Split(usage, "promptTokenCount", "promptTokensDetails");
        var tool = Split(usage, "toolUsePromptTokenCount", "toolUsePromptTokensDetails");
        var cached = Split(usage, "cachedContentTokenCount", "cacheTokensDetails");
        // Vertex AI names the output counts after its REST API's candidates; the Developer API says response.
        var response = usage.TryGetProperty("responseTokenCount", out _)
            ? Split(usage, "responseTokenCount", "responseTokensDetails")
            : Split(usage, "candidatesTokenCount", "candidatesTokensDetails");
        var thoughts = Count(usage, "thoughtsTokenCount");
        return new TokenUsage(
            prompt.Text + tool.Text, prompt.Audio + tool.Audio, prompt.Image + tool.Image, prompt.Other + tool.Other,
            cached.Text, cached.Audio, cached.Image, cached.Other,
            response.Text + thoughts, response.Audio, response.Image + response.Other);
    }

    /// <summary>A count and its per-modality details; whatever the details do not explain goes to Other.</summary>
    private static (int Text, int Audio, int Image, int Other) Split(JsonElement usage, string countName, string detailsName)
    {
        var total = Count(usage, countName);
        int text = 0, audio = 0, image = 0;
        if (usage.TryGetProperty(detailsName, out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                var count = Count(detail, "tokenCount");
                switch (detail.TryGetProperty("modality", out var m) ? m.GetString() : null)
                {
                    case "TEXT":
                        text += count;
                        break;
                    case "AUDIO":
                        audio += count;
                        break;
                    case "IMAGE" or "VIDEO" or "DOCUMENT":
                        image += count;
                        break;
                }
            }
        }

        var other = Math.Max(0, total - text - audio - image);
        return (text, audio, image, other);
    }

    private static int Count(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v))
        {
            return 0;
        }

        // proto3 JSON may render integers as strings.
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var s) => s,
            _ => 0,
        };
    }

    /// <summary>OpenAI's usage object. Tokens not attributed to a modality count as text.</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("total_tokens"u8, TotalTokens);
        w.WriteNumber("input_tokens"u8, InputTokens);
        w.WriteNumber("output_tokens"u8, OutputTokens);
        w.WriteStartObject("input_token_details"u8);
        w.WriteNumber("text_tokens"u8, InputText + InputOther);
        w.WriteNumber("audio_tokens"u8, InputAudio);
        w.WriteNumber("image_tokens"u8, InputImage);
        w.WriteNumber("cached_tokens"u8, CachedTokens);
        w.WriteStartObject("cached_tokens_details"u8);
        w.WriteNumber("text_tokens"u8, CachedText + CachedOther);
        w.WriteNumber("audio_tokens"u8, CachedAudio);
        w.WriteNumber("image_tokens"u8, CachedImage);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("output_token_details"u8);
        w.WriteNumber("text_tokens"u8, OutputText + OutputOther);
        w.WriteNumber("audio_tokens"u8, OutputAudio);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
