using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>A tenant's route: a name clients use as <c>model</c>, and the target it resolves to.</summary>
public sealed record RouteDefinition(string Name, RouteTarget Target, string? Description)
{
    public JsonObject ToJson() => new()
    {
        ["object"] = "route",
        ["name"] = Name,
        ["description"] = Description,
        ["target"] = Target.ToJson(),
    };
}
