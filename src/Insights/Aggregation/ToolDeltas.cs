namespace VoicePlatform.Insights.Aggregation;

/// <summary>
/// What a tool call adds to its bucket. Only calls that got an answer have a latency (an unanswered call's "latency"
/// is just how long until the session moved on); every outcome but <c>ok</c> is a failure.
/// </summary>
public static class ToolDeltas
{
    public const string Unanswered = "unanswered";

    public static BucketDelta Call(string outcome, long latencyMs) => new()
    {
        ToolCalls = 1,
        ToolFailures = outcome == "ok" ? 0 : 1,
        ToolLatencyMs = outcome == Unanswered ? null : latencyMs,
    };

    /// <summary>Takes back a counted unanswered client record (the call turned out to be a server call).</summary>
    public static BucketDelta TakeBackUnanswered() => new() { ToolCalls = -1, ToolFailures = -1 };
}
