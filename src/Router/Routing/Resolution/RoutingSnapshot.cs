using VoicePlatform.Router.Routing.Definitions;
using VoicePlatform.Router.Routing.Storage;

namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>One tenant's routes and running experiments, as read at one moment (what session starts resolve against).</summary>
public sealed record RoutingSnapshot(IReadOnlyDictionary<string, RouteDefinition> Routes, IReadOnlyDictionary<string, StoredExperiment> RunningByRoute)
{
    public static readonly RoutingSnapshot Empty = new(new Dictionary<string, RouteDefinition>(), new Dictionary<string, StoredExperiment>());
}
