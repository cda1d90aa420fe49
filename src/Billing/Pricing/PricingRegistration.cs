using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Billing.Pricing;

public static class PricingRegistration
{
    /// <summary>
    /// Loads the price catalog (embedded <c>Pricing/prices.json</c>, or the file at <c>Billing:PriceCatalogPath</c>)
    /// and validates it against the served models (models.json) before anything starts: a service that would price
    /// usage wrongly, or not at all, must not come up.
    /// </summary>
    public static WebApplicationBuilder AddPriceCatalog(this WebApplicationBuilder builder)
    {
        builder.AddModelCatalog();
        var path = builder.Configuration["Billing:PriceCatalogPath"];
        var catalog = string.IsNullOrEmpty(path) ? PriceCatalogFile.LoadEmbedded() : PriceCatalogFile.LoadFile(path);
        var served = builder.Configuration.GetSection(ModelCatalogOptions.SectionName).Get<ModelCatalogOptions>()?.AllModels().Where(m => m.ReplacedBy is null).Select(m => m.PricedAs) ?? []; // a retired model's sessions are billed as its replacement
        var errors = PriceCatalogValidator.Validate(catalog, served);
        if (errors.Count > 0)
            throw new InvalidOperationException($"The price catalog {(string.IsNullOrEmpty(path) ? "(embedded)" : path)} is invalid:\n  " + string.Join("\n  ", errors));
        builder.Services.AddSingleton(catalog);
        return builder;
    }
}
