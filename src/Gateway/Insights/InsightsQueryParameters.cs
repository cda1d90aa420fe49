using Microsoft.AspNetCore.Http;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.Gateway.ClientErrors;
using VoicePlatform.Gateway.Transcripts;

namespace VoicePlatform.Gateway.Insights;

/// <summary>
/// The insights endpoints' query string, validated: a time range (Unix seconds or RFC 3339; default the last 7 days,
/// at most <c>maxDays</c>), a grouping from an allowed set, and dimension filters of bounded length.
/// </summary>
public sealed record InsightsQueryParameters(long FromUnixMs, long ToUnixMs, string GroupBy, QualityFilter Filter)
{
    public const int MaxSummaryDays = 400;
    public const int MaxHourlyDays = 31;
    public const int MaxFilterLength = 200;
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(7);

    public static readonly string[] SummaryGroupBys = ["none", "model", "provider", "route", "experiment", "arm", "day", "hour"];
    public static readonly string[] SeriesGroupBys = ["none", "model", "provider", "route", "experiment", "arm"];

    public static readonly string[] Metrics =
    [
        "turns", "sessions", "tool_calls", "interruption_rate", "cancellation_rate", "tool_failure_rate", "error_end_rate",
        "response_latency_p50", "response_latency_p90", "response_latency_p95", "response_latency_p99",
        "first_text_latency_p50", "first_text_latency_p90", "first_text_latency_p95", "first_text_latency_p99",
        "tool_latency_p50", "tool_latency_p90", "tool_latency_p95", "tool_latency_p99",
    ];

    /// <returns>The parameters, or the 400 problem response naming the first bad one.</returns>
    public static (InsightsQueryParameters? Parameters, IResult? Invalid) Parse(IQueryCollection query, DateTimeOffset now, string[] groupBys, int maxDays)
    {
        if (!TimeQuery.TryParse(query["from"], out var from)) return Fail("'from' must be Unix seconds or an RFC 3339 timestamp.", "from");
        if (!TimeQuery.TryParse(query["to"], out var to)) return Fail("'to' must be Unix seconds or an RFC 3339 timestamp.", "to");
        if (to == 0) to = now.ToUnixTimeMilliseconds();
        if (from == 0) from = to - (long)DefaultRange.TotalMilliseconds;
        if (to <= from) return Fail("'to' must be after 'from'.", "to");
        if (to - from > TimeSpan.FromDays(maxDays).TotalMilliseconds) return Fail($"The range from 'from' to 'to' must not exceed {maxDays} days.", "from");

        var groupBy = query["group_by"].ToString();
        if (groupBy.Length == 0) groupBy = "none";
        if (!groupBys.Contains(groupBy)) return Fail($"'group_by' must be one of: {string.Join(", ", groupBys)}.", "group_by");

        var filter = new QualityFilter();
        foreach (var (name, set) in new (string, Action<string>)[]
                 {
                     ("model", v => filter.Model = v), ("provider", v => filter.Provider = v), ("route", v => filter.Route = v),
                     ("experiment", v => filter.ExperimentId = v), ("arm", v => filter.ExperimentArm = v),
                 })
        {
            var value = query[name].ToString();
            if (value.Length > MaxFilterLength) return Fail($"'{name}' must be at most {MaxFilterLength} characters.", name);
            set(value);
        }
        return (new InsightsQueryParameters(from, to, groupBy, filter), null);
    }

    private static (InsightsQueryParameters?, IResult?) Fail(string message, string param) => (null, OpenAIError.InvalidValue(message, param));
}
