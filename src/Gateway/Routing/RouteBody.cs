using System.Text.Json.Nodes;

namespace VoicePlatform.Gateway.Routing;

/// <summary>
/// A route: a name clients use as <c>model</c>, resolving to a target. The target is a model name
/// (<c>"gpt-realtime-2"</c>, or another of your routes), <c>{"model": …, "session": {session defaults}}</c>, or
/// <c>{"fallback": [target, …]}</c> (2–5 catalog models tried in order at connect).
/// </summary>
public sealed class RouteBody
{
    /// <summary>^[a-z0-9][a-z0-9._-]{0,63}$, not a catalog model's name. Taken from the URL on PUT.</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>A model name, <c>{"model","session"}</c> or <c>{"fallback":[…]}</c>.</summary>
    public JsonNode? Target { get; set; }
}
