namespace VoicePlatform.Router.Routing.Definitions;

/// <summary>
/// An A/B experiment on a route: arms with weights, the share of subjects that take part, and what identifies a subject.
/// Frozen while running (arms, weights and traffic can change only in draft; a reshuffle changes the salt).
/// </summary>
public sealed record ExperimentDefinition(string Name, string Route, IReadOnlyList<ExperimentArm> Arms, int TrafficPercent, string Subject);

/// <summary>One arm: a name, a target (model or fallback chain) and a positive integer weight.</summary>
public sealed record ExperimentArm(string Name, RouteTarget Target, int Weight);
