namespace VoicePlatform.Billing.Pricing;

/// <summary>USD per 1M tokens for each direction × modality; the input prices apply to uncached tokens only.</summary>
public sealed record TokenPrices(
    decimal InputAudio,
    decimal InputText,
    decimal InputImage,
    decimal CachedInputAudio,
    decimal CachedInputText,
    decimal CachedInputImage,
    decimal OutputAudio,
    decimal OutputText)
{
    public IEnumerable<(string Name, decimal Price)> All() =>
    [
        ("input_audio", InputAudio), ("input_text", InputText), ("input_image", InputImage),
        ("cached_input_audio", CachedInputAudio), ("cached_input_text", CachedInputText), ("cached_input_image", CachedInputImage),
        ("output_audio", OutputAudio), ("output_text", OutputText),
    ];
}
