using System.Text.Json.Nodes;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>One concrete step of a resolved route: a catalog model and the session defaults to apply before the client's own.</summary>
public sealed record ResolvedTarget(CatalogModel Model, JsonObject? SessionDefaults);
