namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// What a quality fact is aggregated by, as the client's Gateway learnt it from <c>session.created</c>'s <c>routing</c>
/// extension: the catalog model that answered, its provider, the route the client named (null for a catalog model),
/// and the experiment and arm that placed the session (null when none).
/// </summary>
public sealed record QualityDimensions(string Model, string Provider, string? Route, string? ExperimentId, string? ExperimentArm);
