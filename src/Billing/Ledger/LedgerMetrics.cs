using System.Diagnostics.Metrics;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// What the ledger bills, for operators' dashboards (meter <c>VoicePlatform.Billing</c>): the priced cost of each usage
/// report appended (a redelivery adds nothing), by model and provider, and the cost reversed when an answer the client
/// never saw is voided (a Router failover re-asked it). Counters only grow, so the net billed cost is
/// <c>cost_usd − reversed_cost_usd</c>. Tenants are not tags (unbounded); the ledger and <c>/v1/usage</c> have them.
/// </summary>
public sealed class LedgerMetrics
{
    public const string MeterName = "VoicePlatform.Billing";
    private readonly Counter<double> _cost;
    private readonly Counter<double> _reversed;

    public LedgerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _cost = meter.CreateCounter<double>("voiceplatform.billing.cost_usd", description: "Priced usage appended to the ledger, in US dollars");
        _reversed = meter.CreateCounter<double>("voiceplatform.billing.reversed_cost_usd",
            description: "Priced usage reversed in the ledger (answers the client never saw), in US dollars; net billed = cost_usd - reversed_cost_usd");
        // Exported from the start (at 0), not only after the first reversal: dashboards subtract it from cost_usd.
        _reversed.Add(0);
    }

    public void Billed(string model, string provider, decimal costUsd) =>
        _cost.Add((double)costUsd, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("provider", provider));

    /// <summary>A ledger row was reversed; <paramref name="costUsd"/> is what it had billed (positive).</summary>
    public void Reversed(string model, string provider, decimal costUsd) =>
        _reversed.Add((double)costUsd, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("provider", provider));
}
