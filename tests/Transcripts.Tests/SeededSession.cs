namespace VoicePlatform.Transcripts.Tests;

/// <summary>A session row written straight into the database (ends 3 minutes after it starts).</summary>
public sealed record SeededSession(
    string SessionId,
    DateTimeOffset StartedAt,
    string Model = "gpt-realtime",
    string Provider = "openai",
    string EndReason = "client_closed",
    string? ExperimentArm = null,
    string? ExperimentId = null,
    string? Route = null);
