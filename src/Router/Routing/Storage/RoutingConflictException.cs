namespace VoicePlatform.Router.Routing.Storage;

/// <summary>The request is valid but clashes with the current state (a duplicate name, a running experiment).</summary>
public sealed class RoutingConflictException(string message, string? param = null) : Exception(message)
{
    public string? Param { get; } = param;
}
