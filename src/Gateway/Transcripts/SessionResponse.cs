using System.Text.Json.Serialization;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A recorded session's metadata.</summary>
public sealed class SessionResponse
{
    [JsonPropertyName("object")] public string Object { get; init; } = "session";
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    /// <summary>The route (the tenant's virtual model name) the client connected with, or null for a catalog model.</summary>
    [JsonPropertyName("route")] public string? Route { get; init; }
    /// <summary>The id of the A/B experiment that placed the session, or null.</summary>
    [JsonPropertyName("experiment_id")] public string? ExperimentId { get; init; }
    /// <summary>The session's arm in that experiment (<c>holdout</c> when outside its traffic), or null.</summary>
    [JsonPropertyName("experiment_arm")] public string? ExperimentArm { get; init; }
    [JsonPropertyName("client_protocol")] public string? ClientProtocol { get; init; }
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("started_at")] public required long StartedAt { get; init; }
    /// <summary>Unix seconds; null while the session has not ended.</summary>
    [JsonPropertyName("ended_at")] public long? EndedAt { get; init; }
    [JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }
    [JsonPropertyName("end_reason")] public string? EndReason { get; init; }
    /// <summary>Whether a call recording is stored (<c>GET /v1/sessions/{id}/recording</c>).</summary>
    [JsonPropertyName("has_recording")] public bool HasRecording { get; init; }

    public static SessionResponse From(SessionSummary session) => new()
    {
        Id = session.SessionId,
        Model = session.Model,
        Provider = session.Provider,
        Route = NullIfEmpty(session.Route),
        ExperimentId = NullIfEmpty(session.ExperimentId),
        ExperimentArm = NullIfEmpty(session.ExperimentArm),
        ClientProtocol = NullIfEmpty(session.ClientProtocol),
        StartedAt = session.StartedAtUnixMs / 1000,
        EndedAt = session.EndedAtUnixMs == 0 ? null : session.EndedAtUnixMs / 1000,
        DurationMs = session.EndedAtUnixMs == 0 ? null : session.DurationMs,
        EndReason = NullIfEmpty(session.EndReason),
        HasRecording = session.HasRecording,
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
