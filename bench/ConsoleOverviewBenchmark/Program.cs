using System.Globalization;
using System.Text;
using System.Text.Json;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.Bench.ConsoleOverviewBenchmark;
using VoicePlatform.Bench.InsightsBenchmark;
using VoicePlatform.Console.Tests;

// The console's goal "the Overview renders in under a second with 10,000 sessions", measured against a baseline tenant
// with a few sessions in the same run and on the same platform (the one the console tests boot). Writes
// bench/results/console-overview-<utc>.json and, unless --no-readme, the results block of bench/README.md.
// Exit code 1 when the loaded Overview's median render is 1 s or more.
var sessions = Option("--sessions", 10_000);
var baselineSessions = Option("--baseline-sessions", 20);
var runs = Option("--runs", 5);
var writeReadme = !args.Contains("--no-readme");

var cpu = new MachineCpu();
await using var platform = new ConsolePlatform();
await platform.InitializeAsync();
OverviewRender.Measured baseline, loaded;
try
{
    baseline = await OverviewRender.MeasureAsync(platform, "bench-overview-baseline", baselineSessions, runs);
    loaded = await OverviewRender.MeasureAsync(platform, "bench-overview-load", sessions, runs);
}
finally
{
    await platform.DisposeAsync();
}
var busy = cpu.BusyShare();

double Median(IReadOnlyList<double> values) => values.Order().ElementAt(values.Count / 2);
var report = new
{
    at = DateTimeOffset.UtcNow,
    cores = Environment.ProcessorCount,
    machine_busy_share = Math.Round(busy, 3),
    runs,
    baseline = new { sessions = baseline.Sessions, render_ms = baseline.RenderMs.Select(t => Math.Round(t)), median_ms = Math.Round(Median(baseline.RenderMs)) },
    loaded = new
    {
        sessions = loaded.Sessions, seeding_s = Math.Round(loaded.Seeding.TotalSeconds, 1), render_ms = loaded.RenderMs.Select(t => Math.Round(t)),
        median_ms = Math.Round(Median(loaded.RenderMs)),
    },
};
var root = PlatformOptions.FindRepositoryRoot();
var stamp = report.at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var json = Path.Combine(root, "bench", "results", $"console-overview-{stamp}.json");
await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));

var table = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"Run {report.at:yyyy-MM-dd HH:mm} UTC, {report.cores} cores, machine busy {busy:P0} over the run; results `bench/results/console-overview-{stamp}.json`.")
    .AppendLine()
    .AppendLine("| tenant | sessions | first render, each run (ms) | median (ms) |")
    .AppendLine("|---|---|---|---|")
    .AppendLine(CultureInfo.InvariantCulture, $"| baseline | {baseline.Sessions:N0} | {string.Join(", ", baseline.RenderMs.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} | {Median(baseline.RenderMs):0} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| loaded | {loaded.Sessions:N0} | {string.Join(", ", loaded.RenderMs.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} | {Median(loaded.RenderMs):0} |")
    .ToString();
Console.WriteLine(table);
if (writeReadme)
{
    var readme = Path.Combine(root, "bench", "README.md");
    const string begin = "<!-- console-overview-results:begin -->", end = "<!-- console-overview-results:end -->";
    var text = await File.ReadAllTextAsync(readme);
    var from = text.IndexOf(begin, StringComparison.Ordinal);
    var to = text.IndexOf(end, StringComparison.Ordinal);
    if (from >= 0 && to > from)
        await File.WriteAllTextAsync(readme, text[..(from + begin.Length)] + "\n" + table + text[to..]);
}
return Median(loaded.RenderMs) < 1000 ? 0 : 1;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
