namespace VoicePlatform.ModelCatalog;

/// <summary>Configuration section <c>ModelCatalog</c> (from <c>models.json</c> unless overridden).</summary>
public sealed class ModelCatalogOptions
{
    public const string SectionName = "ModelCatalog";

    public List<CatalogModel> Models { get; set; } = [];

    /// <summary>Catalog models served through other provider instances (see <see cref="ModelDeployment"/>).</summary>
    public List<ModelDeployment> Deployments { get; set; } = [];

    /// <summary>
    /// <see cref="Models"/>, then one entry per deployment whose <see cref="ModelDeployment.Model"/> is in the catalog
    /// (<see cref="InvalidDeployments"/> names the others).
    /// </summary>
    public IReadOnlyList<CatalogModel> AllModels()
    {
        var all = new List<CatalogModel>(Models);
        foreach (var deployment in Deployments)
        {
            var served = Models.FirstOrDefault(m => m.Id == deployment.Model);
            if (served is null || deployment.Id.Length == 0 || deployment.Provider.Length == 0) continue;
            all.Add(new CatalogModel
            {
                Id = deployment.Id,
                Provider = deployment.Provider,
                UpstreamModel = deployment.UpstreamModel.Length > 0 ? deployment.UpstreamModel : served.UpstreamModel,
                Description = deployment.Description.Length > 0 ? deployment.Description : $"{served.Description} (through {deployment.Provider})",
                Created = served.Created,
                AudioFormats = served.AudioFormats,
                Limits = new ModelLimits
                {
                    ProviderSessionMinutes = deployment.ProviderSessionMinutes ?? served.Limits.ProviderSessionMinutes,
                    ProviderConnectionMinutes = served.Limits.ProviderConnectionMinutes,
                    ContextWindowTokens = served.Limits.ContextWindowTokens,
                    MaxOutputTokens = served.Limits.MaxOutputTokens,
                },
                Capabilities = served.Capabilities,
                PricesPerMillionTokens = served.PricesPerMillionTokens,
                PricesPerMinute = served.PricesPerMinute,
                Lifecycle = served.Lifecycle,
                DeploymentOf = served.Id,
            });
        }
        return all;
    }

    /// <summary>What is wrong with each deployment that cannot be listed (an operator's typo must not pass silently).</summary>
    public IEnumerable<string> InvalidDeployments() => Deployments
        .Where(d => d.Id.Length == 0 || d.Provider.Length == 0 || Models.All(m => m.Id != d.Model))
        .Select(d => d.Id.Length == 0 || d.Provider.Length == 0
            ? $"ModelCatalog:Deployments entry for '{d.Model}' needs an Id and a Provider"
            : $"ModelCatalog:Deployments '{d.Id}' serves '{d.Model}', which is not a catalog model");
}
