using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.ExperimentStatistics;
using VoicePlatform.Insights.Queries;

namespace VoicePlatform.Insights.Experiments;

/// <summary>
/// An experiment's results: its sessions' per-session figures (<see cref="ExperimentSessionsQuery"/>) analysed by
/// <see cref="ExperimentAnalysis"/>, each arm against the control. Mean metrics are per-session means (latencies, cost
/// per minute); rates are shares of sessions (interrupted, ended in error, a failed tool call).
/// </summary>
public sealed class ExperimentResultsQuery(ExperimentSessionsQuery sessions, IOptions<ExperimentResultsOptions> options)
{
    public const string ResponseLatency = "response_latency_ms";
    public const string FirstTextLatency = "first_text_latency_ms";
    public const string ToolLatency = "tool_latency_ms";
    public const string CostPerMinute = "cost_per_minute_usd";
    public const string Interrupted = "interrupted";
    public const string ErrorEnd = "error_end";
    public const string ToolFailure = "tool_failure";

    public async Task<ExperimentResults> AnalyzeAsync(Guid tenantId, GetExperimentResultsRequest request, CancellationToken cancellationToken)
    {
        var observations = new List<SessionObservation>();
        var cursor = "";
        do
        {
            var page = await sessions.ListAsync(tenantId, request.ExperimentId, ExperimentSessionsQuery.MaxPageSize, cursor, cancellationToken);
            observations.AddRange(page.Sessions.Select(Observation));
            cursor = page.NextCursor;
        } while (cursor.Length > 0);

        var minimum = request.MinSessionsPerArm > 0 ? request.MinSessionsPerArm : options.Value.MinSessionsPerArm;
        var report = ExperimentAnalysis.Analyze([.. request.Arms.Select(a => new ArmSpec(a.Name, a.Weight))], request.ControlArm, observations,
            new ExperimentAnalysisOptions { MinSessionsPerArm = minimum, ConfidenceLevel = options.Value.ConfidenceLevel });
        var results = new ExperimentResults
        {
            ControlArm = report.ControlArm,
            MinSessionsPerArm = minimum,
            SampleRatio = new SampleRatioTest
            {
                ChiSquare = report.SampleRatio.ChiSquare,
                PValue = report.SampleRatio.PValue,
                Mismatch = report.SampleRatio.Mismatch,
            },
        };
        results.Arms.AddRange(report.Arms.Select(ToResults));
        return results;
    }

    private static SessionObservation Observation(ExperimentSession session)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (session.HasMeanResponseLatencyMs) values[ResponseLatency] = session.MeanResponseLatencyMs;
        if (session.HasMeanFirstTextLatencyMs) values[FirstTextLatency] = session.MeanFirstTextLatencyMs;
        if (session.HasMeanToolLatencyMs) values[ToolLatency] = session.MeanToolLatencyMs;
        if (session.HasCostPerMinuteUsd) values[CostPerMinute] = session.CostPerMinuteUsd;
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal)
        {
            [Interrupted] = session.Interrupted,
            [ErrorEnd] = session.ErrorEnd,
            [ToolFailure] = session.ToolFailure,
        };
        return new SessionObservation(session.Arm, session.Turns, values, flags);
    }

    private static ArmResults ToResults(ArmReport arm)
    {
        var results = new ArmResults { Name = arm.Name, Sessions = arm.Sessions, Turns = arm.Turns, InsufficientData = arm.InsufficientData };
        results.Metrics.AddRange(arm.Metrics.Select(m =>
        {
            var metric = new ArmMetric { Metric = m.Metric, Kind = m.Kind, Sessions = m.Sessions, Mean = m.Mean, CiLow = m.CiLow, CiHigh = m.CiHigh };
            if (m.Median is { } median) metric.Median = median;
            if (m.P90 is { } p90) metric.P90 = p90;
            return metric;
        }));
        results.VersusControl.AddRange(arm.VersusControl.Select(c =>
        {
            var comparison = new ArmComparison { Metric = c.Metric, Test = c.Test, InsufficientData = c.InsufficientData };
            if (c.Difference is { } difference) comparison.Difference = difference;
            if (c.RelativeLift is { } lift) comparison.RelativeLift = lift;
            if (c.CiLow is { } low) comparison.CiLow = low;
            if (c.CiHigh is { } high) comparison.CiHigh = high;
            if (c.PValue is { } p) comparison.PValue = p;
            return comparison;
        }));
        return results;
    }
}
