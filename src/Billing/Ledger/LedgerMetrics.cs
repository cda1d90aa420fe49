using System.Diagnostics.Metrics;

namespace VoicePlatform.Billing.Ledger;

/// <summary>
/// What the ledger bills, for operators' dashboards (meter <c>VoicePlatform.Billing</c>): the priced cost of each usage
/// report appended (a redelivery adds nothing), by model and provider. Tenants are not tags (unbounded); the ledger and
/// <c>/v1/usage</c> have them.
/// </summary>
public sealed class LedgerMetrics
{
    public const string MeterName = "VoicePlatform.Billing";
    private readonly Counter<double> _cost;

    public LedgerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _cost = meter.CreateCounter<double>("voiceplatform.billing.cost_usd", description: "Priced usage appended to the ledger, in US dollars");
    }

    public void Billed(string model, string provider, decimal costUsd) =>
        _cost.Add((double)costUsd, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("provider", provider));
}
