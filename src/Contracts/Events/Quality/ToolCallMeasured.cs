namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// Published by the Gateway for a function call the <b>client</b> executed: from the <c>response.done</c> that asked for
/// it to the client's <c>function_call_output</c>. Server-executed (platform) tools are reported by the Tools service
/// as <see cref="ToolInvoked"/>. <paramref name="Outcome"/>: <c>ok</c>, or <c>unanswered</c> when the session ended (or
/// the next user turn began) without an output; a consumer that also has a <see cref="ToolInvoked"/> for the same
/// call id knows the call was a server tool and drops the unanswered record.
/// </summary>
public sealed record ToolCallMeasured(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    QualityDimensions Dimensions,
    string CallId,
    string ToolName,
    string Outcome,
    long LatencyMs,
    DateTimeOffset OccurredAt);
