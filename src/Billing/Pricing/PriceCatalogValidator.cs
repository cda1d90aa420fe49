namespace VoicePlatform.Billing.Pricing;

/// <summary>
/// The checks the catalog must pass before Billing starts: every model the platform serves (models.json) is priced
/// from <see cref="PriceCatalog.CoversFrom"/> on (so no usage event can fall into a gap), versions of a model have
/// distinct names and effective dates in UTC, prices are not negative, and every version cites its source.
/// </summary>
public static class PriceCatalogValidator
{
    public static IReadOnlyList<string> Validate(PriceCatalog catalog, IEnumerable<string> servedModels)
    {
        var errors = new List<string>();
        if (catalog.CoversFrom.Offset != TimeSpan.Zero) errors.Add("covers_from must be in UTC (…Z)");

        foreach (var model in servedModels.Distinct(StringComparer.Ordinal))
        {
            if (catalog.VersionsOf(model).Count == 0) errors.Add($"model '{model}' (models.json) has no price");
        }

        foreach (var model in catalog.Models)
        {
            var versions = catalog.VersionsOf(model);
            if (string.IsNullOrWhiteSpace(model)) errors.Add("a catalog entry has no model id");
            if (versions[0].EffectiveFrom > catalog.CoversFrom)
                errors.Add($"model '{model}' is unpriced from {catalog.CoversFrom:O} until its first version ({versions[0].EffectiveFrom:O})");
            foreach (var duplicate in versions.GroupBy(v => v.Version, StringComparer.Ordinal).Where(g => g.Count() > 1))
                errors.Add($"model '{model}' has version '{duplicate.Key}' more than once");
            foreach (var duplicate in versions.GroupBy(v => v.EffectiveFrom).Where(g => g.Count() > 1))
                errors.Add($"model '{model}' has two versions effective from {duplicate.Key:O}");
            foreach (var version in versions)
            {
                var name = $"{model}@{version.Version}";
                if (string.IsNullOrWhiteSpace(version.Version)) errors.Add($"a version of model '{model}' has no name");
                if (version.EffectiveFrom.Offset != TimeSpan.Zero) errors.Add($"{name}: effective_from must be in UTC (…Z)");
                foreach (var (price, value) in version.PerMillionTokens.All())
                    if (value < 0) errors.Add($"{name}: {price} is negative");
                if (version.ConnectionPerMinute < 0) errors.Add($"{name}: connection_per_minute is negative");
                if (string.IsNullOrWhiteSpace(version.Source)) errors.Add($"{name}: no source cited");
            }
        }
        return errors;
    }
}
