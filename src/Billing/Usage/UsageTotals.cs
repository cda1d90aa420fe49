namespace VoicePlatform.Billing.Usage;

/// <summary>The ledger rows of one group (a day, a model, a session) added up.</summary>
public sealed record UsageTotals(string Key, TokenTotals Tokens, long ConnectionMs, long Events, decimal CostUsd);
