using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.Gateway.SessionLimits;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The events the Gateway itself writes to a client, beside the Router's: the documented extensions (docs/realtime.md,
/// continuity.md, billing-and-limits.md) and the <c>response.done</c> that closes a response a Router change cut off.
/// They are rare, so they are built as JSON nodes rather than written by hand.
/// </summary>
public static class GatewayEvents
{
    /// <summary><c>session.limit_reached</c>: a budget or cap was reached (and whether it ends the session).</summary>
    public static ReadOnlyMemory<byte> LimitReached(SessionLimitReached limit) => WireJson.ToUtf8Bytes(new JsonObject
    {
        ["type"] = "session.limit_reached",
        ["event_id"] = RealtimeIds.New("event"),
        ["limit"] = limit.Limit,
        ["code"] = limit.Code,
        ["message"] = limit.Message,
        ["session_ends"] = limit.EndsSession,
    });

    /// <summary>
    /// The protocol's end of a response that could not finish (<c>response.done</c>, status <c>failed</c>, code
    /// <c>router_failover</c>): the Router that streamed it went away, and the next one knows nothing of it.
    /// </summary>
    public static ReadOnlyMemory<byte> ResponseCutByRouterChange(string responseId) => WireJson.ToUtf8Bytes(new JsonObject
    {
        ["type"] = "response.done",
        ["event_id"] = RealtimeIds.New("event"),
        ["response"] = new JsonObject
        {
            ["object"] = "realtime.response",
            ["id"] = responseId,
            ["status"] = "failed",
            ["status_details"] = new JsonObject
            {
                ["type"] = "failed",
                ["error"] = new JsonObject { ["type"] = "server_error", ["code"] = "router_failover" },
            },
            ["output"] = new JsonArray(),
            ["usage"] = null,
        },
    });

    /// <summary><c>session.draining</c>: this Gateway shuts down and closes the socket after <paramref name="closesIn"/>.</summary>
    public static ReadOnlyMemory<byte> Draining(string sessionId, TimeSpan closesIn, bool resumable) => WireJson.ToUtf8Bytes(new JsonObject
    {
        ["type"] = "session.draining",
        ["event_id"] = RealtimeIds.New("event"),
        ["session_id"] = sessionId,
        ["closes_in_ms"] = (int)closesIn.TotalMilliseconds,
        ["resumable"] = resumable,
    });

    /// <summary><c>session.resumed</c>: the first event of a client that came back with its resume token.</summary>
    public static ReadOnlyMemory<byte> Resumed(string sessionId) => WireJson.ToUtf8Bytes(new JsonObject
    {
        ["type"] = "session.resumed",
        ["event_id"] = RealtimeIds.New("event"),
        ["session_id"] = sessionId,
    });

    /// <summary><c>session.idle_warning</c>: no client message for a while; the session closes in <paramref name="closesIn"/>.</summary>
    public static ReadOnlyMemory<byte> IdleWarning(TimeSpan idleTimeout, TimeSpan closesIn) => WireJson.ToUtf8Bytes(new JsonObject
    {
        ["type"] = "session.idle_warning",
        ["event_id"] = RealtimeIds.New("event"),
        ["closes_in_ms"] = (long)closesIn.TotalMilliseconds,
        ["message"] = $"No client message for {(idleTimeout - closesIn).TotalSeconds:0} seconds; the session closes in {closesIn.TotalSeconds:0} seconds unless the client sends something.",
    });

    /// <summary><c>session.created</c> with the resume token (extension field <c>resume</c>).</summary>
    public static ReadOnlyMemory<byte> WithResumeToken(ReadOnlyMemory<byte> sessionCreated, string sessionId, string token, TimeSpan window)
    {
        var node = JsonNode.Parse(sessionCreated.Span)!.AsObject();
        node["resume"] = new JsonObject
        {
            ["session_id"] = sessionId,
            ["token"] = token,
            ["window_seconds"] = (int)window.TotalSeconds,
        };
        return WireJson.ToUtf8Bytes(node);
    }

    /// <summary><c>session.created</c> showing the session of a later <c>session.updated</c> (an ephemeral key's pinned configuration).</summary>
    public static ReadOnlyMemory<byte> WithSession(ReadOnlyMemory<byte> sessionCreated, ReadOnlyMemory<byte> sessionUpdated)
    {
        var node = JsonNode.Parse(sessionCreated.Span)!.AsObject();
        node["session"] = JsonNode.Parse(sessionUpdated.Span)!["session"]?.DeepClone();
        return WireJson.ToUtf8Bytes(node);
    }
}
