using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// The documented session.update extension <c>session.recording</c>: "on" or "off" overrides the tenant's recording
/// setting for this session. It is the Gateway's field: taken out of the session object here, so the Router and the
/// providers never see it.
/// </summary>
public static class SessionRecordingOverride
{
    public const string Field = "recording";
    public const string On = "on";
    public const string Off = "off";

    /// <summary>
    /// Removes <c>recording</c> from <paramref name="session"/>. <paramref name="requested"/> is true/false for "on"/"off",
    /// null when absent (or JSON null). Returns an <c>invalid_value</c> error for anything else (the object is then untouched).
    /// </summary>
    public static RealtimeErrorEvent? Take(JsonObject session, string? eventId, out bool? requested)
    {
        requested = null;
        if (!session.TryGetPropertyValue(Field, out var node)) return null;
        if (node is not null)
        {
            if (node.GetValueKind() != JsonValueKind.String || node.GetValue<string>() is not (On or Off))
            {
                return RealtimeErrorEvent.Invalid("invalid_value",
                    $"Invalid value for 'session.recording': expected '{On}' or '{Off}'.", "session.recording", eventId);
            }
            requested = node.GetValue<string>() == On;
        }
        session.Remove(Field);
        return null;
    }
}
