using VoicePlatform.Billing.Usage;

namespace VoicePlatform.Billing.Statements;

/// <summary>A tenant's calendar month (UTC): the ledger grouped by model, and the total.</summary>
public sealed class MonthlyStatementReader(UsageReader usage)
{
    public async Task<StatementPeriod> GetAsync(Guid tenantId, int year, int month, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddMonths(1);
        var lines = await usage.GetUsageAsync(tenantId, start, end, UsageGrouping.Model, experimentId: null, cancellationToken);
        return new StatementPeriod(start, end, lines, lines.Sum(l => l.CostUsd));
    }
}
