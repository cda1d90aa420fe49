using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Models;

public sealed record RouteInfo(string Name, string? Description, JsonNode Target, long CreatedAt, long UpdatedAt);

public sealed record RouteList(IReadOnlyList<RouteInfo> Data);

public sealed record ModelCapabilities(bool Tools, bool InputTranscription, bool TextOutput, bool Images);

public sealed record ModelLimits(int? ProviderSessionMinutes, int? ProviderConnectionMinutes, int? ContextWindowTokens);

public sealed record CatalogEntry(
    string Id, string OwnedBy, string? Description, IReadOnlyList<string>? AudioFormats, ModelCapabilities? Capabilities,
    ModelLimits? Limits, IReadOnlyDictionary<string, decimal>? PricesPerMillionTokens);

public sealed record CatalogList(IReadOnlyList<CatalogEntry> Data);

/// <summary>The catalog (<c>/v1/models</c>) and the tenant's routes (<c>/v1/routes</c>).</summary>
public static class RoutesApi
{
    public static Task<CatalogList?> ListModelsAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<CatalogList>("/v1/models", ct);

    public static Task<RouteList?> ListRoutesAsync(this GatewayApi api, CancellationToken ct = default) => api.GetAsync<RouteList>("/v1/routes", ct);

    /// <summary>Creates or replaces a route (PUT).</summary>
    public static Task<RouteInfo?> PutRouteAsync(this GatewayApi api, string name, string? description, JsonNode target, CancellationToken ct = default) =>
        api.SendAsync<RouteInfo>(HttpMethod.Put, $"/v1/routes/{GatewayApi.Escape(name)}", new JsonObject { ["description"] = description, ["target"] = target }, ct);

    public static Task DeleteRouteAsync(this GatewayApi api, string name, CancellationToken ct = default) =>
        api.SendAsync<JsonElement>(HttpMethod.Delete, $"/v1/routes/{GatewayApi.Escape(name)}", null, ct);
}
