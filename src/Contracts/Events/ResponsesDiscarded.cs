namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router that took a session over (failover, drain) for the client requests the Gateway asked it
/// again because the client never saw their answer complete, and for the responses the client saw cut by the change
/// (<paramref name="ResponseIds"/>): whatever an earlier Router attempt recorded for them
/// (assistant transcript segments, usage) is not what the client saw, and is void. Consumers keep a tombstone per
/// (session, request): records of that request from an attempt below <paramref name="KeepAttempt"/> are removed, and
/// dropped when they arrive later. Idempotent and order-independent (the highest <paramref name="KeepAttempt"/> wins).
/// </summary>
/// <param name="EventId">Derived from session, attempt and requests: a redelivery carries the same id.</param>
/// <param name="RequestSeqs">Gateway frame seqs of the re-asked <c>response.create</c> frames.</param>
/// <param name="KeepAttempt">The attempt (session lease fencing token) now answering them; records of lower attempts are void.</param>
/// <param name="ResponseIds">
/// Responses the client saw cut by the Router change (also those the server started, which answer no request): their
/// usage (event id derived from the response id) from a lower attempt is void. Null from a Router before this field.
/// </param>
/// <param name="ItemIds">The output items of those responses: their assistant segments from a lower attempt are void.</param>
public sealed record ResponsesDiscarded(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    IReadOnlyList<long> RequestSeqs,
    long KeepAttempt,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string>? ResponseIds = null,
    IReadOnlyList<string>? ItemIds = null);
