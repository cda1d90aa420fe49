namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Tools service for every tool invocation, whatever its outcome (the call audit trail).
/// <paramref name="Outcome"/> is the snake_case outcome (<c>ok</c>, <c>invalid_arguments</c>, <c>timeout</c>,
/// <c>webhook_error</c>, <c>circuit_open</c>, <c>response_too_large</c>, <c>forbidden_target</c>, <c>not_found</c>,
/// <c>cancelled</c>). <paramref name="ArgumentsJson"/> is set only for tools marked loggable.
/// <paramref name="EventId"/> makes consumers idempotent.
/// </summary>
public sealed record ToolInvoked(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string CallId,
    string ToolName,
    bool BuiltIn,
    string Outcome,
    long LatencyMs,
    long RequestBytes,
    long ResponseBytes,
    int Attempts,
    int HttpStatus,
    string? ArgumentsJson,
    DateTimeOffset InvokedAt);
