namespace VoicePlatform.Router.Routing.Fallback;

/// <summary>
/// A step of a chain that did not answer: the catalog model, and why (<see cref="ConnectFallback.CircuitOpen"/> when
/// it was skipped untried; otherwise the provider's error code, or <c>provider_timeout</c>).
/// </summary>
public sealed record ConnectAttempt(string Model, string Provider, string Code);
