using Grpc.Core;
using VoicePlatform.Billing.Ledger;
using VoicePlatform.Billing.Statements;
using VoicePlatform.Billing.Usage;
using VoicePlatform.Contracts.Billing;

namespace VoicePlatform.Billing.Grpc;

/// <summary>The ledger read per tenant: usage by day/model/session/arm, one session's cost, a monthly statement.</summary>
public sealed class BillingUsageService(UsageReader usage, MonthlyStatementReader statements) : BillingUsage.BillingUsageBase
{
    public override async Task<UsageReport> GetUsage(GetUsageRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        var grouping = request.GroupBy switch
        {
            "day" => UsageGrouping.Day,
            "model" => UsageGrouping.Model,
            "session" => UsageGrouping.Session,
            "arm" => UsageGrouping.Arm,
            "route" => UsageGrouping.Route,
            _ => throw Invalid("group_by must be one of day, model, session, arm, route"),
        };
        if (grouping == UsageGrouping.Arm && string.IsNullOrEmpty(request.ExperimentId))
            throw Invalid("group_by arm requires experiment_id: arm names only mean something within one experiment");
        if (request.FromUnixMs >= request.ToUnixMs) throw Invalid("from must be before to");
        var rows = await usage.GetUsageAsync(tenantId,
            DateTimeOffset.FromUnixTimeMilliseconds(request.FromUnixMs), DateTimeOffset.FromUnixTimeMilliseconds(request.ToUnixMs),
            grouping, request.ExperimentId, context.CancellationToken);
        var report = new UsageReport
        {
            GroupBy = request.GroupBy,
            FromUnixMs = request.FromUnixMs,
            ToUnixMs = request.ToUnixMs,
            TotalCostUsd = UsdAmount.Format(rows.Sum(r => r.CostUsd)),
            ExperimentId = request.ExperimentId,
        };
        report.Rows.AddRange(rows.Select(r => new UsageRow
        {
            Key = r.Key, Tokens = Tokens(r.Tokens), ConnectionMs = r.ConnectionMs, Events = r.Events, CostUsd = UsdAmount.Format(r.CostUsd),
            Sessions = r.Sessions,
        }));
        return report;
    }

    public override async Task<SessionCost> GetSessionCost(GetSessionCostRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        if (string.IsNullOrEmpty(request.SessionId)) throw Invalid("session_id is required");
        // Another tenant's session is indistinguishable from one that does not exist.
        var session = await usage.GetSessionAsync(tenantId, request.SessionId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No usage recorded for session '{request.SessionId}'"));
        var totals = session.Totals;
        var cost = new SessionCost
        {
            SessionId = session.SessionId,
            Tokens = Tokens(totals.Tokens),
            Events = totals.Events,
            CostUsd = UsdAmount.Format(totals.CostUsd),
            DurationMs = totals.ConnectionMs,
            // A per-minute figure from a few seconds of connection is an extrapolation, not a rate: none below 10 s.
            CostPerMinuteUsd = totals.ConnectionMs >= MinimumPerMinuteMs
                ? UsdAmount.Format(Math.Round(totals.CostUsd * 60_000m / totals.ConnectionMs, 6, MidpointRounding.AwayFromZero))
                : "",
            FirstUsageUnixMs = session.FirstUsage.ToUnixTimeMilliseconds(),
            LastUsageUnixMs = session.LastUsage.ToUnixTimeMilliseconds(),
        };
        cost.Models.AddRange(session.Models);
        return cost;
    }

    /// <summary>Sessions shorter than this (connection time) get no cost per minute.</summary>
    public const long MinimumPerMinuteMs = 10_000;

    public override async Task<MonthlyStatement> GetMonthlyStatement(GetMonthlyStatementRequest request, ServerCallContext context)
    {
        var tenantId = ParseTenant(request.TenantId);
        if (request.Year is < 2000 or > 9998 || request.Month is < 1 or > 12) throw Invalid("year/month is not a valid month");
        var period = await statements.GetAsync(tenantId, request.Year, request.Month, context.CancellationToken);
        var statement = new MonthlyStatement
        {
            TenantId = request.TenantId,
            Year = request.Year,
            Month = request.Month,
            PeriodStartUnixMs = period.Start.ToUnixTimeMilliseconds(),
            PeriodEndUnixMs = period.End.ToUnixTimeMilliseconds(),
            TotalUsd = UsdAmount.Format(period.TotalUsd),
        };
        statement.Lines.AddRange(period.Lines.Select(l => new StatementLine
        {
            Model = l.Key, Tokens = Tokens(l.Tokens), ConnectionMs = l.ConnectionMs, Events = l.Events, CostUsd = UsdAmount.Format(l.CostUsd),
        }));
        return statement;
    }

    private static TokenCounts Tokens(TokenTotals t) => new()
    {
        InputAudio = t.InputAudio, InputText = t.InputText, InputImage = t.InputImage,
        CachedInputAudio = t.CachedInputAudio, CachedInputText = t.CachedInputText, CachedInputImage = t.CachedInputImage,
        OutputAudio = t.OutputAudio, OutputText = t.OutputText,
    };

    private static Guid ParseTenant(string tenantId) =>
        Guid.TryParse(tenantId, out var id) ? id : throw Invalid("tenant_id must be a UUID");

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
