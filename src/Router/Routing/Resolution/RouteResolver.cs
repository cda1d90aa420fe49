using System.Text.Json.Nodes;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Definitions;
using VoicePlatform.Router.Routing.Experiments;
using VoicePlatform.Router.Routing.Storage;

namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>
/// Resolves the model name a client connected with: a catalog model stands for itself; a route of the tenant resolves
/// to its target, or — while an experiment runs on it — to the arm the subject's bucket falls in (the route's own
/// target for subjects outside the experiment's traffic). Route references are followed, their session defaults
/// layered (the referring target's win). Unknown names resolve to null.
/// </summary>
public sealed class RouteResolver(ModelDirectory models, RoutingCache cache, ExperimentStore experiments, ILogger<RouteResolver> logger)
{
    private const int MaxReferenceDepth = 8; // cycles are refused when routes are written; this only bounds a surprise

    /// <param name="subject">The end user the tenant named for this session, if any; the session id stands in otherwise.</param>
    public async Task<RouteResolution?> ResolveAsync(Guid tenantId, string name, string? subject, string sessionId, CancellationToken cancellationToken)
    {
        if (models.TryResolve(name, out var model)) return new RouteResolution(null, null, [new ResolvedTarget(model, null)]);
        var snapshot = await cache.GetAsync(tenantId, cancellationToken);
        if (!snapshot.Routes.TryGetValue(name, out var route)) return null;

        var target = route.Target;
        ExperimentPlacement? placement = null;
        if (snapshot.RunningByRoute.TryGetValue(name, out var experiment))
        {
            var definition = experiment.Definition;
            var unit = definition.Subject == "session" ? sessionId : subject ?? sessionId;
            var arm = ExperimentAssignment.Assign(tenantId.ToString(), experiment.Id, experiment.Salt, unit, [.. definition.Arms.Select(a => a.Weight)], definition.TrafficPercent);
            if (arm is { } index) target = definition.Arms[index].Target;
            placement = new ExperimentPlacement(experiment.Id, definition.Name, arm is { } i ? definition.Arms[i].Name : StoredExperiment.HoldoutArm);
            await CountAsync(placement, cancellationToken);
        }
        var steps = Flatten(target, snapshot, null, 0);
        return steps.Count == 0 ? null : new RouteResolution(name, placement, steps);
    }

    private List<ResolvedTarget> Flatten(RouteTarget target, RoutingSnapshot snapshot, JsonObject? outerDefaults, int depth)
    {
        var steps = new List<ResolvedTarget>();
        foreach (var step in target.Steps)
        {
            var defaults = Layer(step.Session, outerDefaults);
            if (step.Model is null) continue;
            if (models.TryResolve(step.Model, out var model))
                steps.Add(new ResolvedTarget(model, defaults));
            else if (depth < MaxReferenceDepth && snapshot.Routes.TryGetValue(step.Model, out var referenced))
                steps.AddRange(Flatten(referenced.Target, snapshot, defaults, depth + 1));
            else
                logger.LogWarning("Route step '{Model}' names neither a catalog model nor a route any more; skipped", step.Model);
        }
        return steps;
    }

    /// <summary>Session defaults of a referenced route under those of the target referring to it (which win, object by object).</summary>
    public static JsonObject? Layer(JsonObject? inner, JsonObject? outer)
    {
        if (inner is null) return outer?.DeepClone().AsObject();
        var merged = inner.DeepClone().AsObject();
        if (outer is null) return merged;
        foreach (var (key, value) in outer)
        {
            merged[key] = merged[key] is JsonObject below && value is JsonObject above ? Layer(below, above) : value?.DeepClone();
        }
        return merged;
    }

    // Counting is for the sample-ratio check: a session must not wait for or fail on it.
    private async Task CountAsync(ExperimentPlacement placement, CancellationToken cancellationToken)
    {
        try
        {
            await experiments.RecordAssignmentAsync(placement.ExperimentId, placement.Arm, cancellationToken);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Assignment to {Experiment}/{Arm} not counted: {Error}", placement.ExperimentId, placement.Arm, e.Message);
        }
    }
}
