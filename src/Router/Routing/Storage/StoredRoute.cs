using System.Text.Json.Nodes;
using VoicePlatform.Router.Routing.Definitions;

namespace VoicePlatform.Router.Routing.Storage;

/// <summary>A route as stored, with its timestamps.</summary>
public sealed record StoredRoute(RouteDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public JsonObject ToJson()
    {
        var json = Definition.ToJson();
        json["created_at"] = CreatedAt.ToUnixTimeSeconds();
        json["updated_at"] = UpdatedAt.ToUnixTimeSeconds();
        return json;
    }
}
