using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Insights.Tests;

/// <summary>Events as their publishers send them, with the ids derived the way the publishers derive them.</summary>
public static class QualityEvents
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);

    public static QualityDimensions Dims(string model = "gpt-realtime-2", string provider = "openai", string? route = null,
        string? experiment = null, string? arm = null) => new(model, provider, route, experiment, arm);

    public static TurnMeasured Turn(Guid tenant, string session, string responseId, DateTimeOffset at, long? ttfaMs, long? firstTextMs = null,
        QualityDimensions? dims = null, string status = "completed", bool interrupted = false, long? interruptedAfterMs = null) =>
        new(EventIds.For("turn", session, responseId), tenant, session, dims ?? Dims(), responseId, at, "server_vad",
            1_000, ttfaMs, firstTextMs, status, 2_400, interrupted, interruptedAfterMs, 0,
            [new ItemPlayback($"item_{responseId}", 1_000 + (ttfaMs ?? 0), 3_400 + (ttfaMs ?? 0), interrupted)]);

    public static SessionMeasured Connection(Guid tenant, string session, string connectionId, DateTimeOffset openedAt, long durationMs,
        int turns, string endReason = "client_closed", QualityDimensions? dims = null, int interruptions = 0) =>
        new(EventIds.For("session-measured", session, connectionId), tenant, session, connectionId, dims ?? Dims(), openedAt, durationMs,
            turns, 4_000, 2_400 * turns, interruptions, 1, 0, 2, 3, endReason);

    public static ToolCallMeasured ClientToolCall(Guid tenant, string session, string callId, string outcome, long latencyMs, DateTimeOffset at,
        QualityDimensions? dims = null) =>
        new(EventIds.For("tool-call", session, callId), tenant, session, dims ?? Dims(), callId, "lookup_order", outcome, latencyMs, at);

    public static ToolInvoked ServerToolCall(Guid tenant, string session, string callId, string outcome, long latencyMs, DateTimeOffset at) =>
        new(EventIds.For("tool-invoked", session, callId), tenant, session, callId, "get_weather", false, outcome, latencyMs, 10, 20, 1, 200, null, at);

    public static SessionStarted Started(Guid tenant, string session, DateTimeOffset at, string model = "gpt-realtime-2", string provider = "openai",
        string? route = null, string? experiment = null, string? arm = null) =>
        new(EventIds.For("session-started", session), tenant, session, model, provider, arm, "openai-realtime", at, route, experiment);

    public static SessionEnded Ended(Guid tenant, string session, DateTimeOffset at, long durationMs, string reason = "client_closed") =>
        new(EventIds.For("session-ended", session, reason), tenant, session, at, durationMs, reason);

    public static UsagePriced Priced(Guid tenant, string session, decimal cost, DateTimeOffset at) =>
        new(Guid.NewGuid(), tenant, session, cost, at);

    public static ContinuityEventRecorded Continuity(Guid tenant, string session, string kind, DateTimeOffset at, long? atMs, long durationMs) =>
        new(EventIds.For("continuity", session, kind, at.ToUnixTimeMilliseconds().ToString()), tenant, session, kind, at, atMs, durationMs, null);

    public static string NewSession() => $"sess_{Guid.NewGuid():N}";
}
