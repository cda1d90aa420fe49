namespace VoicePlatform.Router.Routing.Resolution;

/// <summary>
/// What a model name a client connected with resolves to: the steps a connect tries in order (one, or a fallback
/// chain), and, for a route, its name and the experiment arm the session's subject fell into.
/// </summary>
public sealed record RouteResolution(string? Route, ExperimentPlacement? Experiment, IReadOnlyList<ResolvedTarget> Steps);

/// <summary>The experiment a session is part of and its arm (<c>holdout</c> when the subject is outside its traffic).</summary>
public sealed record ExperimentPlacement(string ExperimentId, string ExperimentName, string Arm);
