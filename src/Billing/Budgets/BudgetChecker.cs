namespace VoicePlatform.Billing.Budgets;

/// <summary>
/// A tenant's month-to-date spend (current UTC calendar month, from the ledger) against its monthly budget.
/// The clock is a <see cref="TimeProvider"/> so the month can be pinned in tests.
/// </summary>
public sealed class BudgetChecker(BudgetStore budgets, TimeProvider clock)
{
    public async Task<BudgetCheck> CheckAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var start = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddMonths(1);
        // A tenant without an account reads as one without a budget: never blocked, as the contract says.
        var spend = await budgets.ReadSpendAsync(tenantId, start, end, cancellationToken);
        return new BudgetCheck(spend.MonthlyBudgetUsd, spend.Mode, spend.SpentUsd, start, end);
    }
}
