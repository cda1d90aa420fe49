namespace VoicePlatform.Router.Routing.Storage;

/// <summary>No such route or experiment for this tenant (another tenant's is reported the same way).</summary>
public sealed class RoutingNotFoundException(string message) : Exception(message);
