using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Gateway.Models;

public static class ModelEndpoints
{
    /// <summary><c>GET /v1/models</c> in OpenAI's list shape, for tenants.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", (ModelDirectory catalog) => Results.Ok(new
        {
            @object = "list",
            data = catalog.Models.Select(m => new
            {
                id = m.Id,
                @object = "model",
                owned_by = m.Provider,
                description = m.Description,
                audio_formats = m.AudioFormats,
                capabilities = m.Capabilities,
                limits = m.Limits,
            }),
        })).AddEndpointFilter<RequireTenantKeyFilter>();
        return app;
    }
}
