using System.Globalization;
using System.Text.Json;
using VoicePlatform.Console.Gateway;

namespace VoicePlatform.Console.Components.Pages.Experiments;

/// <summary>Chart.js configuration (console.js draws it) for per-arm median time to first audio per hour.</summary>
public static class ResultsChart
{
    public static string ArmLatency(InsightsTimeseries series)
    {
        var starts = series.Data.SelectMany(s => s.Points).Select(p => p.Start).Distinct().Order().ToList();
        return JsonSerializer.Serialize(new
        {
            labels = starts.Select(s => DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime.ToString("MM-dd HH:00", CultureInfo.InvariantCulture)),
            datasets = series.Data.Select(arm => new
            {
                label = $"{arm.Key} p50 (ms)",
                data = starts.Select(s => arm.Points.FirstOrDefault(p => p.Start == s)?.Value),
                spanGaps = true,
            }),
        });
    }
}
