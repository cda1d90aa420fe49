using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.ApiKeys;

namespace VoicePlatform.Gateway.Models;

public static class ModelEndpoints
{
    public static IServiceCollection AddModelCatalog(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<ModelCatalogOptions>(configuration.GetSection("ModelCatalog"));

    /// <summary><c>GET /v1/models</c> in OpenAI's list shape, for tenants.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", (IOptions<ModelCatalogOptions> catalog) => Results.Ok(new
        {
            @object = "list",
            data = catalog.Value.Models.Select(m => new { id = m.Id, @object = "model", owned_by = m.Provider }),
        })).AddEndpointFilter<RequireTenantKeyFilter>();
        return app;
    }
}
