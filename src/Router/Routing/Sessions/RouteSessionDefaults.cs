using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Routing.Sessions;

/// <summary>A route target's session defaults as the canonical <c>session.update</c> that applies them.</summary>
public static class RouteSessionDefaults
{
    /// <returns>The event, or null when there is nothing to apply.</returns>
    public static byte[]? ToUpdate(JsonObject? defaults)
    {
        if (defaults is null || defaults.Count == 0) return null;
        var session = defaults.DeepClone().AsObject();
        session["type"] = "realtime"; // the GA session.update requires it
        // Audio formats are the client's choice, made with the Gateway; between Gateway and Router audio is always
        // canonical PCM16 24 kHz.
        if (session["audio"] is JsonObject audio)
        {
            (audio["input"] as JsonObject)?.Remove("format");
            (audio["output"] as JsonObject)?.Remove("format");
        }
        var update = new JsonObject
        {
            ["type"] = "session.update",
            ["event_id"] = "route_defaults",
            ["session"] = session,
        };
        return JsonSerializer.SerializeToUtf8Bytes(update);
    }
}
