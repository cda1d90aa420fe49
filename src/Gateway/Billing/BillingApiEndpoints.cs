using Grpc.Core;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Billing;

/// <summary>
/// The tenant's usage and cost, read from the Billing service's ledger over gRPC: <c>GET /v1/usage</c>,
/// <c>GET /v1/sessions/{id}/cost</c>, <c>GET /v1/billing/statements/{yyyy-MM}</c>. Tenant API key; money as decimal
/// strings; OpenAI-style errors (400 bad period, grouping or experiment, 404 unknown or another tenant's session, 503 Billing down).
/// </summary>
public static class BillingApiEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/usage", (string? from, string? to, string? group_by, string? experiment, HttpContext http, BillingUsage.BillingUsageClient billing, ILoggerFactory loggers) =>
            {
                var groupBy = string.IsNullOrEmpty(group_by) ? "day" : group_by;
                if (!UsageQuery.Groupings.Contains(groupBy))
                    return Task.FromResult(OpenAIError.InvalidValue($"group_by must be one of {string.Join(", ", UsageQuery.Groupings)}.", "group_by"));
                var experimentId = string.IsNullOrEmpty(experiment) ? null : experiment;
                if (experimentId is { Length: > UsageQuery.MaxExperimentIdLength })
                    return Task.FromResult(OpenAIError.InvalidValue($"experiment must be an experiment id of at most {UsageQuery.MaxExperimentIdLength} characters.", "experiment"));
                if (groupBy == "arm" && experimentId is null)
                    return Task.FromResult(OpenAIError.InvalidValue("group_by=arm requires experiment=<experiment id>: arm names only mean something within one experiment.", "experiment"));
                var end = DateTimeOffset.UtcNow;
                if (to is not null && !UsageQuery.TryParseInstant(to, out end))
                    return Task.FromResult(OpenAIError.InvalidValue("to must be an ISO 8601 date or date-time, or Unix seconds.", "to"));
                var start = end - UsageQuery.DefaultPeriod;
                if (from is not null && !UsageQuery.TryParseInstant(from, out start))
                    return Task.FromResult(OpenAIError.InvalidValue("from must be an ISO 8601 date or date-time, or Unix seconds.", "from"));
                if (start >= end)
                    return Task.FromResult(OpenAIError.InvalidValue("from must be before to.", "from"));
                return CallAsync(loggers, async () =>
                {
                    var report = await billing.GetUsageAsync(new GetUsageRequest
                    {
                        TenantId = TenantId(http), FromUnixMs = start.ToUnixTimeMilliseconds(), ToUnixMs = end.ToUnixTimeMilliseconds(), GroupBy = groupBy,
                        ExperimentId = experimentId ?? "",
                    }, Options(http));
                    return Results.Ok(new UsageReportResponse(groupBy, start, end, [.. report.Rows.Select(UsageBucketResponse.From)], report.TotalCostUsd)
                    {
                        ExperimentId = experimentId,
                    });
                });
            })
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Usage")
            .WithName("GetUsage").WithSummary("Token usage and cost for a period [from, to), grouped by day, model, session or experiment arm")
            .WithDescription("Query: from, to (ISO 8601 date or date-time, or Unix seconds; default the last 30 days), "
                + "group_by (day (default), model, session, arm, route (\"\" for sessions that named a model directly)), experiment (an experiment id: only the sessions it placed; required by group_by=arm). "
                + "Each bucket carries tokens, connection_ms, events, sessions and cost_usd.")
            .Produces<UsageReportResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest).ProducesCommonErrors();

        // A literal segment after {id}: no clash with the transcript routes under /v1/sessions/{id}.
        app.MapGet("/v1/sessions/{id}/cost", (string id, HttpContext http, BillingUsage.BillingUsageClient billing, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var cost = await billing.GetSessionCostAsync(new GetSessionCostRequest { TenantId = TenantId(http), SessionId = id }, Options(http));
                    return Results.Ok(SessionCostResponse.From(cost));
                }))
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Usage")
            .WithName("GetSessionCost").WithSummary("One session's cost, connection time and cost per minute")
            .Produces<SessionCostResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound).ProducesCommonErrors();

        app.MapGet("/v1/billing/statements/{period}", (string period, HttpContext http, BillingUsage.BillingUsageClient billing, ILoggerFactory loggers) =>
            {
                if (!UsageQuery.TryParseMonth(period, out var year, out var month))
                    return Task.FromResult(OpenAIError.InvalidValue("The statement period must be a month, yyyy-MM (e.g. 2026-11).", "period"));
                return CallAsync(loggers, async () =>
                {
                    var statement = await billing.GetMonthlyStatementAsync(
                        new GetMonthlyStatementRequest { TenantId = TenantId(http), Year = year, Month = month }, Options(http));
                    return Results.Ok(StatementResponse.From(statement));
                });
            })
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Usage")
            .WithName("GetMonthlyStatement").WithSummary("A calendar month's (UTC) statement: one line per model and the total")
            .Produces<StatementResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest).ProducesCommonErrors();

        return app;
    }

    /// <summary>What any usage endpoint may answer: a bad key (401) or the Billing service unreachable (503).</summary>
    private static RouteHandlerBuilder ProducesCommonErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    private static string TenantId(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId.ToString();

    private static CallOptions Options(HttpContext http) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

    private static Task<IResult> CallAsync(ILoggerFactory loggers, Func<Task<IResult>> call) =>
        DownstreamCall.RunAsync(call, error => DownstreamErrors.FromRpc(error, DownstreamService.Billing, loggers.CreateLogger(typeof(BillingApiEndpoints))));
}
