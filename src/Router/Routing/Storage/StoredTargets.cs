using System.Text.Json.Nodes;
using VoicePlatform.Router.Routing.Definitions;

namespace VoicePlatform.Router.Routing.Storage;

/// <summary>Targets as stored (the canonical JSON of <see cref="RouteTarget.ToJson"/>), read back without re-validation.</summary>
public static class StoredTargets
{
    public static RouteTarget Read(string json) => Read(JsonNode.Parse(json)!);

    public static RouteTarget Read(JsonNode node)
    {
        if (node["fallback"] is JsonArray chain) return new RouteTarget(null, null, [.. chain.Select(step => Read(step!))]);
        return new RouteTarget(node["model"]!.GetValue<string>(), node["session"]?.DeepClone().AsObject(), null);
    }
}
