using Microsoft.Extensions.Options;

namespace VoicePlatform.ModelCatalog;

/// <summary>Resolves a model name as a client wrote it (<c>gpt-realtime-2</c> or <c>openai/gpt-realtime-2</c>).</summary>
public sealed class ModelDirectory(IOptionsMonitor<ModelCatalogOptions> options)
{
    public IReadOnlyList<CatalogModel> Models => options.CurrentValue.Models;

    public bool TryResolve(string? name, out CatalogModel model)
    {
        model = null!;
        if (string.IsNullOrWhiteSpace(name))
            return false;

        foreach (var candidate in options.CurrentValue.Models)
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
}
