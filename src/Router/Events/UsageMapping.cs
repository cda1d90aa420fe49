using System.Text.Json;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Router.Events;

/// <summary>
/// OpenAI's <c>response.done.usage</c> (which the Gemini connector also emits) to <see cref="UsageRecorded"/>: the
/// provider's input counts include cached tokens, the contract's are uncached, so the cached ones per modality are
/// subtracted (and reported separately).
/// </summary>
public static class UsageMapping
{
    public static UsageRecorded ToEvent(JsonElement usage, Guid eventId, SessionEventContext context, DateTimeOffset occurredAt, long connectionMs)
    {
        var input = usage.TryGetProperty("input_token_details", out var i) ? i : default;
        var cached = input.ValueKind == JsonValueKind.Object && input.TryGetProperty("cached_tokens_details", out var c) ? c : default;
        var output = usage.TryGetProperty("output_token_details", out var o) ? o : default;
        long cachedText = Count(cached, "text_tokens"), cachedAudio = Count(cached, "audio_tokens"), cachedImage = Count(cached, "image_tokens");
        return new UsageRecorded(eventId, context.TenantId, context.SessionId, context.Model, context.Provider, occurredAt,
            InputAudioTokens: Math.Max(0, Count(input, "audio_tokens") - cachedAudio),
            InputTextTokens: Math.Max(0, Count(input, "text_tokens") - cachedText),
            InputImageTokens: Math.Max(0, Count(input, "image_tokens") - cachedImage),
            CachedInputAudioTokens: cachedAudio,
            CachedInputTextTokens: cachedText,
            CachedInputImageTokens: cachedImage,
            OutputAudioTokens: Count(output, "audio_tokens"),
            OutputTextTokens: Count(output, "text_tokens"),
            ConnectionMilliseconds: Math.Max(0, connectionMs));
    }

    private static long Count(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
}
