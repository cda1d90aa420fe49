namespace VoicePlatform.Billing.Usage;

/// <summary>The ledger rows of one group (a day, a model, a session, an arm) added up; <paramref name="Sessions"/> counts the distinct sessions among them.</summary>
public sealed record UsageTotals(string Key, TokenTotals Tokens, long ConnectionMs, long Events, decimal CostUsd, long Sessions);
