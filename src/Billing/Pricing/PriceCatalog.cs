namespace VoicePlatform.Billing.Pricing;

/// <summary>
/// The versioned price list. The price of a usage event is the version of its model in effect at the event's time:
/// the latest version whose <see cref="PriceVersion.EffectiveFrom"/> is at or before it. So a version added with a
/// future date prices only usage from that date on and never reprices the past.
/// </summary>
public sealed class PriceCatalog
{
    private readonly Dictionary<string, PriceVersion[]> _byModel;

    public PriceCatalog(DateTimeOffset coversFrom, IEnumerable<PriceVersion> versions)
    {
        CoversFrom = coversFrom;
        _byModel = versions
            .GroupBy(v => v.Model, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.EffectiveFrom).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>From when on every model must have a price (no gaps).</summary>
    public DateTimeOffset CoversFrom { get; }

    public IReadOnlyCollection<string> Models => _byModel.Keys;

    public IReadOnlyList<PriceVersion> VersionsOf(string model) => _byModel.TryGetValue(model, out var versions) ? versions : [];

    /// <summary>The version in effect for <paramref name="model"/> at <paramref name="at"/>, or null if none is.</summary>
    public PriceVersion? Find(string model, DateTimeOffset at)
    {
        if (!_byModel.TryGetValue(model, out var versions)) return null;
        PriceVersion? found = null;
        foreach (var version in versions)
        {
            if (version.EffectiveFrom > at) break;
            found = version;
        }
        return found;
    }
}
