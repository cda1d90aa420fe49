namespace VoicePlatform.Billing.Budgets;

/// <summary>
/// Month-to-date spend against the budget for the period [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>).
/// <see cref="Reached"/>: a budget is set and the spend is at or above it (inclusive: a budget of 0 is reached at once).
/// <see cref="Blocks"/>: reached in <see cref="BudgetMode.Hard"/> mode.
/// </summary>
public sealed record BudgetCheck(
    decimal? MonthlyBudgetUsd,
    BudgetMode Mode,
    decimal MonthToDateUsd,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd)
{
    public bool Reached => MonthlyBudgetUsd is { } budget && MonthToDateUsd >= budget;

    public bool Blocks => Reached && Mode == BudgetMode.Hard;
}
