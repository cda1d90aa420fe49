using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Insights.Queries;

namespace VoicePlatform.Insights.Grpc;

/// <summary>The tenant-scoped query API. Every lookup is by (tenant, id): another tenant's session is NOT_FOUND, never revealed.</summary>
public sealed class InsightsQueryService(SummaryQuery summaries, SessionQualityQuery sessions, ExperimentSessionsQuery experiments,
    Experiments.ExperimentResultsQuery results)
    : InsightsQuery.InsightsQueryBase
{
    private static readonly string[] SeriesGroupBys = ["none", "model", "provider", "route", "experiment", "arm"];

    public override Task<GetSummaryResponse> GetSummary(GetSummaryRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        var groupBy = request.GroupBy is "" ? "none" : request.GroupBy;
        if (!SummaryQuery.GroupBys.Contains(groupBy)) throw Invalid($"group_by must be one of {string.Join(", ", SummaryQuery.GroupBys)}", "group_by");
        if (QueryRange.Validate(request.FromUnixMs, request.ToUnixMs, QueryRange.MaxDays) is { } problem) throw Invalid(problem, "from");
        return summaries.SummarizeAsync(tenantId, QueryRange.FromUnixMs(request.FromUnixMs, request.ToUnixMs), groupBy, request.Filter,
            context.CancellationToken);
    }

    public override Task<GetTimeseriesResponse> GetTimeseries(GetTimeseriesRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        var metric = TimeseriesMetric.Find(request.Metric)
            ?? throw Invalid($"metric must be one of {string.Join(", ", TimeseriesMetric.Names.Order())}", "metric");
        if (request.Interval is not ("hour" or "day")) throw Invalid("interval must be hour or day", "interval");
        var groupBy = request.GroupBy is "" ? "none" : request.GroupBy;
        if (!SeriesGroupBys.Contains(groupBy)) throw Invalid($"group_by must be one of {string.Join(", ", SeriesGroupBys)}", "group_by");
        var maxDays = request.Interval == "hour" ? QueryRange.MaxHourlyDays : QueryRange.MaxDays;
        if (QueryRange.Validate(request.FromUnixMs, request.ToUnixMs, maxDays) is { } problem) throw Invalid(problem, "from");
        return summaries.TimeseriesAsync(tenantId, QueryRange.FromUnixMs(request.FromUnixMs, request.ToUnixMs), metric, request.Interval, groupBy,
            request.Filter, context.CancellationToken);
    }

    public override async Task<SessionQuality> GetSessionQuality(GetSessionQualityRequest request, ServerCallContext context) =>
        await sessions.GetAsync(Tenant(request.TenantId), request.SessionId, context.CancellationToken)
        ?? throw new RpcException(new Status(StatusCode.NotFound, $"No session found with id '{request.SessionId}'."));

    public override Task<ListExperimentSessionsResponse> ListExperimentSessions(ListExperimentSessionsRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        if (string.IsNullOrEmpty(request.ExperimentId)) throw Invalid("experiment_id is required", "experiment_id");
        if (request.PageSize < 0 || request.PageSize > ExperimentSessionsQuery.MaxPageSize)
            throw Invalid($"page_size must be between 1 and {ExperimentSessionsQuery.MaxPageSize}", "page_size");
        return experiments.ListAsync(tenantId, request.ExperimentId, request.PageSize, request.Cursor, context.CancellationToken);
    }

    public override Task<ExperimentResults> GetExperimentResults(GetExperimentResultsRequest request, ServerCallContext context)
    {
        var tenantId = Tenant(request.TenantId);
        if (string.IsNullOrEmpty(request.ExperimentId)) throw Invalid("experiment_id is required", "experiment_id");
        if (request.Arms.Count < 2 || request.Arms.Any(a => a.Weight <= 0) || request.Arms.Select(a => a.Name).Distinct().Count() != request.Arms.Count)
            throw Invalid("arms must be at least two distinct names with positive weights", "arms");
        if (!request.Arms.Any(a => a.Name == request.ControlArm)) throw Invalid($"control '{request.ControlArm}' is not one of the arms", "control");
        if (request.MinSessionsPerArm is < 0 or > MaxMinSessions) throw Invalid($"min_sessions must be between 2 and {MaxMinSessions}", "min_sessions");
        return results.AnalyzeAsync(tenantId, request, context.CancellationToken);
    }

    private const int MaxMinSessions = 100_000;

    private static Guid Tenant(string tenantId) =>
        Guid.TryParse(tenantId, out var id) ? id : throw Invalid("tenant_id must be a UUID");

    private static RpcException Invalid(string detail, string? param = null) =>
        new(new Status(StatusCode.InvalidArgument, detail), param is null ? [] : new Metadata { { "param", param } });
}
