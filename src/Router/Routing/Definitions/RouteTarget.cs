using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>
/// Where a route (or an experiment arm) sends a session: one model with optional session defaults (applied before the
/// client's own <c>session.update</c>), or a fallback chain of such targets tried in order at connect.
/// <see cref="Model"/> names a catalog model or another route of the same tenant.
/// </summary>
public sealed record RouteTarget(string? Model, JsonObject? Session, IReadOnlyList<RouteTarget>? Fallback)
{
    public bool IsChain => Fallback is not null;

    /// <summary>The single targets, in the order a connect tries them.</summary>
    public IEnumerable<RouteTarget> Steps => Fallback ?? [this];

    public JsonNode ToJson()
    {
        if (Fallback is { } chain) return new JsonObject { ["fallback"] = new JsonArray([.. chain.Select(t => t.ToJson())]) };
        var target = new JsonObject { ["model"] = Model };
        if (Session is not null) target["session"] = Session.DeepClone();
        return target;
    }
}
