using System.Text.Json.Nodes;
using Grpc.Core;
using VoicePlatform.Contracts.Routing;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;
using VoicePlatform.ModelCatalog;
using RoutingClient = VoicePlatform.Contracts.Routing.Routing.RoutingClient;

namespace VoicePlatform.Gateway.Models;

public static class ModelEndpoints
{
    private static readonly TimeSpan RoutesDeadline = TimeSpan.FromSeconds(3);

    /// <summary>
    /// <c>GET /v1/models</c> in OpenAI's list shape, for tenants: the catalog's models, then the tenant's routes
    /// (<c>owned_by: "tenant"</c>, with the route's target). Routes live in the Router; if it cannot answer, the catalog
    /// is still listed.
    /// </summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", async (HttpContext http, ModelDirectory catalog, RoutingClient routing, ILoggerFactory loggers) =>
            {
                var data = catalog.Models.Select(ModelResponse.From).ToList();
                data.AddRange((await TenantRoutesAsync(http, routing, loggers)).Select(ModelResponse.FromRoute));
                return TypedResults.Ok(new ModelListResponse(data));
            })
            .AddEndpointFilter<RequireTenantKeyFilter>()
            .WithName("ListModels").WithTags("Models")
            .WithSummary("List the catalog's models (formats, capabilities, limits, list prices), then your routes")
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);

        // OpenAI's SDKs retrieve one model with GET /v1/models/{model} (models.retrieve); ids may carry a provider prefix.
        app.MapGet("/v1/models/{model}", async (string model, HttpContext http, ModelDirectory catalog, RoutingClient routing, ILoggerFactory loggers) =>
            {
                model = Uri.UnescapeDataString(model); // an SDK may send the provider prefix's '/' as %2F, which routing leaves encoded
                if (catalog.TryResolve(model, out var catalogModel)) return Results.Ok(ModelResponse.From(catalogModel));
                var route = (await TenantRoutesAsync(http, routing, loggers)).FirstOrDefault(r => r["name"]?.GetValue<string>() == model);
                return route is not null
                    ? Results.Ok(ModelResponse.FromRoute(route))
                    : OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found",
                        $"The model '{model}' does not exist: it is neither a catalog model nor one of your routes.", "model");
            })
            .AddEndpointFilter<RequireTenantKeyFilter>()
            .WithName("RetrieveModel").WithTags("Models")
            .WithSummary("Retrieve one catalog model or one of your routes by name")
            .Produces<ModelResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ErrorResponse>(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IEnumerable<JsonNode>> TenantRoutesAsync(HttpContext http, RoutingClient routing, ILoggerFactory loggers)
    {
        try
        {
            var reply = await routing.ListRoutesAsync(new RoutingRequest { TenantId = RequireTenantKeyFilter.GetTenant(http).TenantId.ToString() },
                deadline: DateTime.UtcNow + RoutesDeadline, cancellationToken: http.RequestAborted);
            return JsonNode.Parse(reply.Json.Span)?["data"]?.AsArray().OfType<JsonNode>() ?? [];
        }
        catch (RpcException e)
        {
            loggers.CreateLogger(typeof(ModelEndpoints)).LogWarning("Routes not listed in /v1/models: the Router answered {Status}", e.StatusCode);
            return [];
        }
    }
}
