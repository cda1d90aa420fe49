namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by Billing when it has priced a <see cref="UsageRecorded"/> into its ledger: what that usage cost.
/// <paramref name="EventId"/> is derived from the usage event's id (<c>EventIds.For("usage-priced", usageEventId)</c>),
/// so a redelivered usage event republishes the same id and consumers count it once. A session's cost is the sum of its
/// <see cref="UsagePriced"/> events. A usage voided by <see cref="ResponsesDiscarded"/> is reversed by a second one with
/// the negated cost (its id derived from the reversing ledger entry's), so the sum stays right.
/// </summary>
public sealed record UsagePriced(Guid EventId, Guid TenantId, string SessionId, decimal CostUsd, DateTimeOffset OccurredAt);
