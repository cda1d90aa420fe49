namespace VoicePlatform.Billing.Pricing;

/// <summary>One model's prices from <see cref="EffectiveFrom"/> until the model's next version takes effect.</summary>
public sealed record PriceVersion(
    string Model,
    string Version,
    DateTimeOffset EffectiveFrom,
    TokenPrices PerMillionTokens,
    decimal ConnectionPerMinute,
    string Source,
    IReadOnlyList<string> Assumptions);
