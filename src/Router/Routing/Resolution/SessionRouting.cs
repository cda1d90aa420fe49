using System.Text.Json.Nodes;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Routing.Fallback;

namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>
/// How a session was routed: the route the client named (null for a catalog model), the experiment and arm that placed
/// it, the catalog model that answered, and the chain's models after it (where a mid-session fallback would go). Kept in
/// the session's checkpoint, so a resumed session (Router failover, client resume) stays on the same model and arm, and
/// keeps its way forward, without resolving again.
/// </summary>
public sealed record SessionRouting(string? Route, string? ExperimentId, string? Arm, string Model)
{
    /// <summary>The chain's models after <see cref="Model"/>, in order (empty without a chain, or on its last step).</summary>
    public IReadOnlyList<string> FallbackAfter { get; init; } = [];

    private const string RouteField = "route";
    private const string ExperimentField = "experiment_id";
    private const string ArmField = "experiment_arm";
    private const string ModelField = "routed_model";
    private const string FallbackAfterField = "fallback_after";

    public static SessionRouting From(RouteResolution resolution, ResolvedTarget answered) =>
        new(resolution.Route, resolution.Experiment?.ExperimentId, resolution.Experiment?.Arm, answered.Model.Id)
        {
            FallbackAfter = [.. resolution.Steps.SkipWhile(step => !ReferenceEquals(step, answered)).Skip(1).Select(step => step.Model.Id)],
        };

    /// <summary>What a checkpoint recorded; null for a session checkpointed before routing existed.</summary>
    public static SessionRouting? FromSnapshot(SessionSnapshot snapshot) =>
        snapshot.Field(ModelField) is { Length: > 0 } model
            ? new SessionRouting(Empty(snapshot.Field(RouteField)), Empty(snapshot.Field(ExperimentField)), Empty(snapshot.Field(ArmField)), model)
            {
                FallbackAfter = snapshot.Field(FallbackAfterField) is { Length: > 0 } after ? after.Split(',') : [],
            }
            : null;

    public IReadOnlyDictionary<string, string> ToCheckpointFields(string provider) => new Dictionary<string, string>
    {
        ["provider"] = provider,
        [RouteField] = Route ?? "",
        [ExperimentField] = ExperimentId ?? "",
        [ArmField] = Arm ?? "",
        [ModelField] = Model,
        [FallbackAfterField] = string.Join(',', FallbackAfter),
    };

    /// <summary>
    /// The documented <c>routing</c> extension of <c>session.created</c> (SDKs ignore unknown fields):
    /// <c>{"route","experiment","arm","model"}</c>, plus <c>"passed_over"</c> when a fallback chain skipped steps.
    /// </summary>
    public JsonObject ToExtension(IReadOnlyList<ConnectAttempt> passedOver)
    {
        var extension = new JsonObject
        {
            ["route"] = Route,
            ["experiment"] = ExperimentId,
            ["arm"] = Arm,
            ["model"] = Model,
        };
        if (passedOver.Count > 0)
        {
            extension["passed_over"] = new JsonArray([.. passedOver.Select(a => (JsonNode)new JsonObject { ["model"] = a.Model, ["reason"] = a.Code })]);
        }
        return extension;
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
