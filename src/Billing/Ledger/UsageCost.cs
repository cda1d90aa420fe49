using VoicePlatform.Billing.Pricing;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// The cost of one usage event, in <see cref="decimal"/> (never double: $0.40 is not a binary fraction).
/// Σ tokens × price per 1M / 1,000,000 is exact (a division by a power of ten); the connection part is
/// ms × price per minute / 60,000, which can repeat, so the total is rounded to <see cref="Scale"/> decimal places.
/// </summary>
public static class UsageCost
{
    public const int Scale = 12;

    public static decimal Compute(UsageRecorded usage, PriceVersion price)
    {
        var p = price.PerMillionTokens;
        var tokens =
            usage.InputAudioTokens * p.InputAudio + usage.InputTextTokens * p.InputText + usage.InputImageTokens * p.InputImage
            + usage.CachedInputAudioTokens * p.CachedInputAudio + usage.CachedInputTextTokens * p.CachedInputText
            + usage.CachedInputImageTokens * p.CachedInputImage
            + usage.OutputAudioTokens * p.OutputAudio + usage.OutputTextTokens * p.OutputText;
        var connection = usage.ConnectionMilliseconds * price.ConnectionPerMinute / 60_000m;
        return Math.Round(tokens / 1_000_000m + connection, Scale, MidpointRounding.AwayFromZero);
    }
}
