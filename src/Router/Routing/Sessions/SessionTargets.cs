using VoicePlatform.Contracts.Router;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Routing.Resolution;

namespace VoicePlatform.Router.Routing.Sessions;

/// <summary>
/// What a starting session connects to. A new session resolves the name the client connected with (a catalog model,
/// or one of the tenant's routes, placing the session's subject in a running experiment). A resumed session keeps what
/// its checkpoint recorded (model, route, experiment and arm), so a failover or client resume never re-rolls the arm
/// or lands on another model.
/// </summary>
public sealed class SessionTargets(ModelDirectory catalog, RouteResolver resolver)
{
    /// <summary>For a client that named neither a model nor a route.</summary>
    public string NotFoundMessage(string name) =>
        $"The model '{name}' does not exist or you do not have access to it. Available models: {string.Join(", ", catalog.Models.Select(m => m.Id))} (and your routes, see GET /v1/models).";

    /// <returns>The steps to connect, or null when the name is neither a catalog model nor one of the tenant's routes.</returns>
    /// <exception cref="Npgsql.NpgsqlException">The tenant's routes could not be read.</exception>
    public async Task<RouteResolution?> PlanAsync(SessionStart start, SessionSnapshot? resumed, CancellationToken cancellationToken)
    {
        if (resumed is not null && SessionRouting.FromSnapshot(resumed) is { } routed)
        {
            if (!catalog.TryResolve(routed.Model, out var model)) return null;
            var placement = routed.ExperimentId is { } experiment ? new ExperimentPlacement(experiment, "", routed.Arm ?? "") : null;
            // The answered model first, then the rest of its chain (a model since removed from the catalog is skipped).
            var after = routed.FallbackAfter.Select(id => catalog.TryResolve(id, out var next) ? new ResolvedTarget(next, null) : null).OfType<ResolvedTarget>();
            return new RouteResolution(routed.Route, placement, [new ResolvedTarget(model, null), .. after]);
        }
        if (start.Resume || !Guid.TryParse(start.TenantId, out var tenantId))
        {
            // Checkpointed before sessions recorded their routing: the name was a catalog model.
            return catalog.TryResolve(start.Model, out var model) ? new RouteResolution(null, null, [new ResolvedTarget(model, null)]) : null;
        }
        var subject = string.IsNullOrEmpty(start.Subject) ? null : start.Subject;
        return await resolver.ResolveAsync(tenantId, start.Model, subject, start.SessionId, cancellationToken);
    }
}
