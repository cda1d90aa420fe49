using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Routing;

/// <summary>A route as the routes API returns it (the Router's JSON; this type describes it in the OpenAPI document).</summary>
public sealed class RouteResponse
{
    [JsonPropertyName("object")] public string Object => "route";
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    /// <summary>A model name, <c>{"model","session"}</c> or <c>{"fallback":[…]}</c>.</summary>
    [JsonPropertyName("target")] public required JsonNode Target { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }
}

public sealed record RouteListResponse([property: JsonPropertyName("data")] IReadOnlyList<RouteResponse> Data)
{
    [JsonPropertyName("object")] public string Object => "list";
}

public sealed class RouteDeletedResponse
{
    [JsonPropertyName("object")] public string Object => "route.deleted";
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("deleted")] public bool Deleted => true;
}
