using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Gateway.ApiKeys;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Tools;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// <c>/v1/insights/summary</c>, <c>/v1/insights/timeseries</c> and <c>/v1/sessions/{id}/quality</c>: the tenant's
/// session quality, backed by the Insights service over gRPC. Authenticated with the tenant's API key; another tenant's
/// session is a 404 like a missing one. Errors in OpenAI's shape.
/// </summary>
public static class InsightsApiEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var insights = app.MapGroup("/v1/insights").AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Insights");

        insights.MapGet("/summary", async (HttpContext http, InsightsQuery.InsightsQueryClient client, TimeProvider clock, ILoggerFactory loggers) =>
            {
                var (parameters, invalid) = InsightsQueryParameters.Parse(http.Request.Query, clock.GetUtcNow(),
                    InsightsQueryParameters.SummaryGroupBys, InsightsQueryParameters.MaxSummaryDays);
                if (invalid is not null) return invalid;
                return await CallAsync(loggers, async () =>
                {
                    var summary = await client.GetSummaryAsync(new GetSummaryRequest
                    {
                        TenantId = TenantId(http),
                        FromUnixMs = parameters!.FromUnixMs,
                        ToUnixMs = parameters.ToUnixMs,
                        GroupBy = parameters.GroupBy,
                        Filter = parameters.Filter,
                    }, Options(http));
                    return Results.Ok(new InsightsSummaryResponse
                    {
                        From = summary.FromUnixMs / 1000,
                        To = summary.ToUnixMs / 1000,
                        GroupBy = parameters.GroupBy,
                        Data = [.. summary.Groups.Select(InsightsGroupResponse.From)],
                    });
                });
            })
            .WithName("GetInsightsSummary").ProducesCommonErrors()
            .WithSummary("Session quality over a period: counts, rates and latency percentiles (p50/p90/p95/p99 from merged hourly sketches). "
                + "Query: from, to (Unix seconds or RFC 3339; default the last 7 days; whole hours; at most 400 days), "
                + "group_by (none, model, provider, route, experiment, arm, day, hour), model, provider, route, experiment, arm (filters)")
            .Produces<InsightsSummaryResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        insights.MapGet("/timeseries", async (HttpContext http, InsightsQuery.InsightsQueryClient client, TimeProvider clock, ILoggerFactory loggers) =>
            {
                var query = http.Request.Query;
                var metric = query["metric"].ToString();
                if (!InsightsQueryParameters.Metrics.Contains(metric))
                    return OpenAIError.InvalidValue($"'metric' must be one of: {string.Join(", ", InsightsQueryParameters.Metrics)}.", "metric");
                var interval = query["interval"].ToString() is "" ? "hour" : query["interval"].ToString();
                if (interval is not ("hour" or "day")) return OpenAIError.InvalidValue("'interval' must be hour or day.", "interval");
                var (parameters, invalid) = InsightsQueryParameters.Parse(query, clock.GetUtcNow(), InsightsQueryParameters.SeriesGroupBys,
                    interval == "hour" ? InsightsQueryParameters.MaxHourlyDays : InsightsQueryParameters.MaxSummaryDays);
                if (invalid is not null) return invalid;
                return await CallAsync(loggers, async () =>
                {
                    var series = await client.GetTimeseriesAsync(new GetTimeseriesRequest
                    {
                        TenantId = TenantId(http),
                        FromUnixMs = parameters!.FromUnixMs,
                        ToUnixMs = parameters.ToUnixMs,
                        Metric = metric,
                        Interval = interval,
                        GroupBy = parameters.GroupBy,
                        Filter = parameters.Filter,
                    }, Options(http));
                    return Results.Ok(new InsightsTimeseriesResponse
                    {
                        Metric = metric,
                        Interval = interval,
                        GroupBy = parameters.GroupBy,
                        From = series.FromUnixMs / 1000,
                        To = series.ToUnixMs / 1000,
                        Data = [.. series.Series.Select(s => new TimeseriesSeriesResponse
                        {
                            Key = s.Key,
                            Points = [.. s.Points.Select(p => new TimeseriesPointResponse
                                { Start = p.BucketStartUnixMs / 1000, Value = p.HasValue ? p.Value : null, Count = p.Count })],
                        })],
                    });
                });
            })
            .WithName("GetInsightsTimeseries").ProducesCommonErrors()
            .WithSummary("A quality metric per hour or day. Query: metric (turns, sessions, tool_calls, interruption_rate, cancellation_rate, "
                + "tool_failure_rate, error_end_rate, response_latency_p50|p90|p95|p99, first_text_latency_p…, tool_latency_p…; required), "
                + "interval (hour, default, at most 31 days; or day, at most 400 days), group_by (none, model, provider, route, experiment, arm), "
                + "from, to (default the last 7 days), model, provider, route, experiment, arm (filters)")
            .Produces<InsightsTimeseriesResponse>().Produces<ErrorResponse>(StatusCodes.Status400BadRequest);

        app.MapGet("/v1/sessions/{id}/quality", (string id, HttpContext http, InsightsQuery.InsightsQueryClient client, ILoggerFactory loggers) =>
                CallAsync(loggers, async () =>
                {
                    var quality = await client.GetSessionQualityAsync(new GetSessionQualityRequest { TenantId = TenantId(http), SessionId = id }, Options(http));
                    return Results.Ok(SessionQualityResponse.From(quality));
                }))
            .AddEndpointFilter<RequireTenantKeyFilter>().WithTags("Insights")
            .WithName("GetSessionQuality").ProducesCommonErrors()
            .WithSummary("A session's quality as the caller experienced it: its turns with latencies, interruptions, tool calls, continuity events and totals")
            .Produces<SessionQualityResponse>().Produces<ErrorResponse>(StatusCodes.Status404NotFound);

        app.MapExperimentResults(); // /v1/experiments/{id}/results: arms from the Router, statistics from Insights
        return app;
    }

    /// <summary>What any insights endpoint may answer: a bad key (401) or the Insights service unreachable (503).</summary>
    private static RouteHandlerBuilder ProducesCommonErrors(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
        .Produces<ErrorResponse>(StatusCodes.Status503ServiceUnavailable);

    private static string TenantId(HttpContext http) => RequireTenantKeyFilter.GetTenant(http).TenantId.ToString();

    private static CallOptions Options(HttpContext http) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: http.RequestAborted);

    private static Task<IResult> CallAsync(ILoggerFactory loggers, Func<Task<IResult>> call) =>
        DownstreamCall.RunAsync(call, error => DownstreamErrors.FromRpc(error, DownstreamService.Insights, loggers.CreateLogger(typeof(InsightsApiEndpoints))));
}
