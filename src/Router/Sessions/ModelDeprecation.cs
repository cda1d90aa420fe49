using VoicePlatform.Contracts.Json;
using VoicePlatform.ModelCatalog;
using VoicePlatform.RealtimeProtocol;
using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// The documented extension event a client gets right after <c>session.created</c> when it named a model its provider
/// retired (<see cref="CatalogModel.ReplacedBy"/>): the session runs on the replacement, and the client is told so it
/// can move before the old name goes. <c>{"type":"session.model_deprecated","model","replaced_by","message"}</c>.
/// </summary>
public static class ModelDeprecation
{
    public const string EventType = "session.model_deprecated";

    /// <summary>The warning for <paramref name="requested"/>, or null when it names no retired model.</summary>
    public static CanonicalEvent? For(ModelDirectory catalog, string requested)
    {
        if (!catalog.TryFindRetired(requested, out var retired) || !catalog.TryResolve(requested, out var serving)) return null;
        var message = $"The model '{retired.Id}' was retired by its provider; this session runs on '{serving.Id}'. Connect with model '{serving.Id}' to keep this behaviour when '{retired.Id}' is removed from the catalog.";
        return new CanonicalEvent(EventType, WireJson.ToUtf8Bytes(new JsonObject
        {
            ["type"] = EventType,
            ["event_id"] = RealtimeIds.New("event"),
            ["model"] = retired.Id,
            ["replaced_by"] = serving.Id,
            ["message"] = message,
        }));
    }
}
