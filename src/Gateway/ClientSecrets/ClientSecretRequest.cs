using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.ClientSecrets;

/// <summary>
/// <c>POST /v1/realtime/client_secrets</c>, in OpenAI's request shape plus the <c>limits</c> extension (the handler
/// reads the body itself; this type describes it in the OpenAPI document).
/// </summary>
public sealed class ClientSecretRequest
{
    [JsonPropertyName("expires_after")] public ClientSecretExpiry? ExpiresAfter { get; init; }

    /// <summary>
    /// The session the key pins: <c>type</c> ("realtime"), <c>model</c> (a catalog model or one of your routes),
    /// <c>user</c> (the end user, the experiment subject) and any <c>session.update</c> configuration.
    /// </summary>
    [JsonPropertyName("session")] public JsonObject? Session { get; init; }

    [JsonPropertyName("limits")] public ClientSecretLimits? Limits { get; init; }
}

public sealed class ClientSecretExpiry
{
    /// <summary>Only <c>created_at</c>.</summary>
    [JsonPropertyName("anchor")] public string? Anchor { get; init; }

    /// <summary>10–7200, default 600.</summary>
    [JsonPropertyName("seconds")] public int? Seconds { get; init; }
}

/// <summary>Caps on each session started with the key (extension).</summary>
public sealed class ClientSecretLimits
{
    /// <summary>1 to the platform's longest session duration.</summary>
    [JsonPropertyName("max_session_duration_seconds")] public int? MaxSessionDurationSeconds { get; init; }

    /// <summary>A USD amount as a decimal string, e.g. "0.50" (at most 6 decimal places).</summary>
    [JsonPropertyName("max_spend_usd")] public string? MaxSpendUsd { get; init; }
}
