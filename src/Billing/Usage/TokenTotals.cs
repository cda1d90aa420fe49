namespace VoicePlatform.Billing.Usage;

/// <summary>Summed token counts by direction × modality (input counts exclude the cached ones).</summary>
public sealed record TokenTotals(
    long InputAudio,
    long InputText,
    long InputImage,
    long CachedInputAudio,
    long CachedInputText,
    long CachedInputImage,
    long OutputAudio,
    long OutputText);
