namespace VoicePlatform.Router.Providers;

/// <summary>
/// Reads the provider instances from section <c>Providers</c>. Every child section is one instance. Two always exist,
/// configured or not, so a platform with no provider settings still serves the catalog (against the real endpoints):
/// <c>Providers:OpenAI</c> (kind openai, key <c>openai</c>) and <c>Providers:Gemini</c> (kind gemini, key
/// <c>google</c>). Any other instance must say its <c>Kind</c>; its key is <c>Key</c>, else the name in lower case.
/// </summary>
public static class ProviderInstances
{
    public const string SectionName = "Providers";

    private static readonly (string Name, string Key, string Kind)[] Defaults =
    [
        ("OpenAI", "openai", ProviderKinds.OpenAI),
        ("Gemini", "google", ProviderKinds.Gemini),
    ];

    /// <summary>The instances, defaults first. Throws <see cref="InvalidOperationException"/> on a bad or ambiguous entry.</summary>
    public static IReadOnlyList<ProviderInstance> Read(IConfiguration configuration)
    {
        var root = configuration.GetSection(SectionName);
        var instances = new List<ProviderInstance>();
        foreach (var (name, key, kind) in Defaults)
        {
            var section = root.GetSection(name);
            instances.Add(new ProviderInstance(name, section["Key"] is { Length: > 0 } k ? k : key, section["Kind"] is { Length: > 0 } c ? c.ToLowerInvariant() : kind, section));
        }

        foreach (var section in root.GetChildren())
        {
            if (Defaults.Any(d => string.Equals(d.Name, section.Key, StringComparison.OrdinalIgnoreCase))) continue;
            var kind = section["Kind"]?.ToLowerInvariant();
            if (kind is null or "")
                throw new InvalidOperationException($"{SectionName}:{section.Key}:Kind is required: '{ProviderKinds.OpenAI}' or '{ProviderKinds.Gemini}'.");
            instances.Add(new ProviderInstance(section.Key, section["Key"] is { Length: > 0 } key ? key : section.Key.ToLowerInvariant(), kind, section));
        }

        foreach (var instance in instances)
        {
            if (instance.Kind is not (ProviderKinds.OpenAI or ProviderKinds.Gemini))
                throw new InvalidOperationException(
                    $"{SectionName}:{instance.Name}:Kind is '{instance.Kind}'; it must be '{ProviderKinds.OpenAI}' or '{ProviderKinds.Gemini}'.");
            if (instance.Key.Contains('/'))
                throw new InvalidOperationException($"{SectionName}:{instance.Name}:Key must not contain '/': it prefixes model ids.");
        }

        var duplicate = instances.GroupBy(i => i.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Provider key '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(i => $"{SectionName}:{i.Name}"))}; keys must be unique.");
        return instances;
    }

    /// <summary>The instances of one kind.</summary>
    public static IEnumerable<ProviderInstance> OfKind(IConfiguration configuration, string kind) =>
        Read(configuration).Where(i => i.Kind == kind);
}
