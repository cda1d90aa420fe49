using Microsoft.Extensions.Options;

namespace VoicePlatform.ModelCatalog;

/// <summary>
/// Resolves a model name as a client wrote it (<c>gpt-realtime-2</c> or <c>openai/gpt-realtime-2</c>). A retired
/// model (<see cref="CatalogModel.ReplacedBy"/>) resolves to the model that replaced it, so existing clients keep
/// working; <see cref="TryFindRetired"/> tells the name's own entry, for the deprecation warning.
/// </summary>
public sealed class ModelDirectory(IOptionsMonitor<ModelCatalogOptions> options)
{
    /// <summary>Longest chain of replacements followed (a longer one, or a cycle, is a catalog error: not resolved).</summary>
    private const int MaxReplacements = 8;

    private Snapshot? _all; // rebuilt when the options change (models.json is reloaded on change)

    /// <summary>The catalog's models, then its deployments (<see cref="ModelCatalogOptions.AllModels"/>).</summary>
    public IReadOnlyList<CatalogModel> Models
    {
        get
        {
            var current = options.CurrentValue;
            if (_all is { } known && ReferenceEquals(known.Options, current)) return known.Models;
            var models = current.AllModels();
            _all = new Snapshot(current, models);
            return models;
        }
    }

    public bool TryResolve(string? name, out CatalogModel model)
    {
        if (!TryFindEntry(name, out model)) return false;
        for (var hops = 0; model.ReplacedBy is { Length: > 0 } next; hops++)
        {
            if (hops == MaxReplacements || !TryFindEntry(next, out model)) return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="name"/> names a retired model; <paramref name="retired"/> is its own entry.</summary>
    public bool TryFindRetired(string? name, out CatalogModel retired) =>
        TryFindEntry(name, out retired) && retired.ReplacedBy is { Length: > 0 };

    private bool TryFindEntry(string? name, out CatalogModel model)
    {
        model = null!;
        if (string.IsNullOrWhiteSpace(name))
            return false;

        foreach (var candidate in Models)
        {
            if (string.Equals(candidate.Id, name, StringComparison.Ordinal)
                || (name.Length == candidate.Provider.Length + 1 + candidate.Id.Length
                    && name.StartsWith(candidate.Provider, StringComparison.Ordinal)
                    && name[candidate.Provider.Length] == '/'
                    && name.EndsWith(candidate.Id, StringComparison.Ordinal)))
            {
                model = candidate;
                return true;
            }
        }
        return false;
    }

    private sealed record Snapshot(ModelCatalogOptions Options, IReadOnlyList<CatalogModel> Models);
}
