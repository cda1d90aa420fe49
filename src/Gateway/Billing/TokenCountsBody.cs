using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Gateway.Billing;

/// <summary>Token counts by direction × modality; the input counts exclude the cached ones.</summary>
public sealed record TokenCountsBody(
    [property: JsonPropertyName("input_audio")] long InputAudio,
    [property: JsonPropertyName("input_text")] long InputText,
    [property: JsonPropertyName("input_image")] long InputImage,
    [property: JsonPropertyName("cached_input_audio")] long CachedInputAudio,
    [property: JsonPropertyName("cached_input_text")] long CachedInputText,
    [property: JsonPropertyName("cached_input_image")] long CachedInputImage,
    [property: JsonPropertyName("output_audio")] long OutputAudio,
    [property: JsonPropertyName("output_text")] long OutputText)
{
    public static TokenCountsBody From(TokenCounts t) => new(
        t.InputAudio, t.InputText, t.InputImage, t.CachedInputAudio, t.CachedInputText, t.CachedInputImage, t.OutputAudio, t.OutputText);
}
