using System.Text.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Continuity;

/// <summary>Turns a Redis snapshot into what a connector resumes from.</summary>
public static class SessionSnapshots
{
    private const string ProviderPrefix = "provider:";

    public static SessionResumeState ToResumeState(SessionSnapshot snapshot)
    {
        JsonElement? session = snapshot.Field("config") is { } config ? JsonDocument.Parse(config).RootElement.Clone() : null;
        var history = snapshot.History.Select(item => JsonDocument.Parse(item).RootElement.Clone()).ToList();
        var provider = snapshot.Fields
            .Where(f => f.Key.StartsWith(ProviderPrefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[ProviderPrefix.Length..], f => f.Value, StringComparer.Ordinal);
        return new SessionResumeState(session, history, provider);
    }
}
