using VoicePlatform.Billing.Usage;

namespace VoicePlatform.Billing.Statements;

/// <summary>A statement: the period [Start, End), one line per model, and the total (a decimal sum, exact).</summary>
public sealed record StatementPeriod(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<UsageTotals> Lines, decimal TotalUsd);
