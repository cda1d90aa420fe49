namespace VoicePlatform.Billing.Budgets;

/// <summary>
/// A tenant's budget and what it spent in one period, read together. A tenant without an account reads as one
/// without a budget, in the default mode; its spend is still what the ledger holds for it.
/// </summary>
public sealed record BudgetSpend(decimal? MonthlyBudgetUsd, BudgetMode Mode, decimal SpentUsd);
