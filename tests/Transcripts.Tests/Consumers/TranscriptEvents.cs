using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Transcripts.Tests.Consumers;

/// <summary>Events as the Router publishes them, with fresh ids.</summary>
public static class TranscriptEvents
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static SessionStarted Started(Guid tenant, string session, string model = "gpt-realtime-2", string provider = "openai", string? arm = null,
        string? route = null, string? experimentId = null) =>
        new(Guid.NewGuid(), tenant, session, model, provider, arm, "openai-realtime", Start, route, experimentId);

    public static TranscriptSegmentRecorded Segment(Guid tenant, string session, string role, string text, long startMs, long endMs, bool truncated = false) =>
        new(Guid.NewGuid(), tenant, session, $"item_{startMs}", role, text, startMs, endMs, "gpt-realtime-2", truncated, Start.AddMilliseconds(endMs));

    public static SessionEnded Ended(Guid tenant, string session, long durationMs = 65_000, string reason = "client_closed") =>
        new(Guid.NewGuid(), tenant, session, Start.AddMilliseconds(durationMs), durationMs, reason);
}
