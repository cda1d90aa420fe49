namespace VoicePlatform.Billing.Usage;

/// <summary>One session's ledger rows added up, with the models it used and when its usage was reported.</summary>
public sealed record SessionUsage(
    string SessionId,
    IReadOnlyList<string> Models,
    UsageTotals Totals,
    DateTimeOffset FirstUsage,
    DateTimeOffset LastUsage);
