using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VoicePlatform.ModelCatalog;

public static class ModelCatalogRegistration
{
    /// <summary>
    /// Loads <c>models.json</c> from the app's base directory (an operator can replace the file or override
    /// any entry through ordinary configuration) and registers <see cref="ModelDirectory"/>.
    /// </summary>
    public static WebApplicationBuilder AddModelCatalog(this WebApplicationBuilder builder)
    {
        // Inserted first so appsettings, environment variables and command-line arguments still override it.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "models.json",
            Optional = false,
            ReloadOnChange = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
        builder.Services.AddOptions<ModelCatalogOptions>()
            .Bind(builder.Configuration.GetSection(ModelCatalogOptions.SectionName))
            .Validate(o => !o.InvalidDeployments().Any(), "ModelCatalog:Deployments has an entry without Id or Provider, or serving a model that is not in the catalog.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelDirectory>();
        return builder;
    }
}
