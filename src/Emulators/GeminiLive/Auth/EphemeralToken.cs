using System.Text.Json.Nodes;

namespace VoicePlatform.Emulators.GeminiLive.Auth;

/// <summary>An auth_tokens/… token minted by POST /v1alpha/auth_tokens.</summary>
internal sealed class EphemeralToken(string name, int uses, DateTimeOffset expireTime, DateTimeOffset newSessionExpireTime, JsonObject? constraints)
{
    public string Name { get; } = name;
    /// <summary>0 = unlimited. Resumption does not count as a use.</summary>
    public int Uses { get; } = uses;
    public int Used { get; set; }
    public DateTimeOffset ExpireTime { get; } = expireTime;
    public DateTimeOffset NewSessionExpireTime { get; } = newSessionExpireTime;

    /// <summary>bidiGenerateContentSetup: fields set here are locked and override the client's setup.</summary>
    public JsonObject? Constraints { get; } = constraints;
}
