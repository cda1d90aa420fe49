using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.ClientSecrets;

/// <summary>The minted ephemeral key, in OpenAI's response shape (describes the handler's answer in the OpenAPI document).</summary>
public sealed class ClientSecretResponse
{
    /// <summary>The ephemeral key (<c>ek_…</c>): a Bearer key or browser subprotocol key for <c>/v1/realtime</c> only.</summary>
    [JsonPropertyName("value")] public required string Value { get; init; }

    /// <summary>Unix seconds; the key admits no new connection after it.</summary>
    [JsonPropertyName("expires_at")] public long ExpiresAt { get; init; }

    /// <summary>The pinned session as requested, with <c>type</c> "realtime" and <c>object</c> "realtime.session".</summary>
    [JsonPropertyName("session")] public required JsonObject Session { get; init; }

    /// <summary>Present when the request set limits.</summary>
    [JsonPropertyName("limits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClientSecretLimits? Limits { get; init; }
}
