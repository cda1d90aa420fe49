using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>What a definition is checked against: the model catalog and the tenant's other routes.</summary>
public sealed record RoutingCatalog(ModelDirectory Models, Func<string, RouteDefinition?> FindRoute);
