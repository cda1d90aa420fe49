using System.Globalization;
using System.Text;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>Console lines and the Markdown block written into bench/README.md.</summary>
public static class Report
{
    public const string BeginMarker = "<!-- relay-benchmark-results:begin -->";
    public const string EndMarker = "<!-- relay-benchmark-results:end -->";

    public static string SummaryLine(StepResult r)
    {
        var sb = new StringBuilder($"N={r.Sessions} ({r.Mode})");
        if (r.Direct is { } d) sb.Append($" | direct {Lat(d)} lost {d.Lost} reord {d.Reordered}");
        if (r.Portkey is { } k) sb.Append($" | portkey {Lat(k)} lost {k.Lost} reord {k.Reordered}");
        if (r.Platform is { } p) sb.Append($" | platform {Lat(p)} lost {p.Lost} reord {p.Reordered}");
        if (r.Added is { } a) sb.Append($" | added p50 {F(a.P50)} p99 {F(a.P99)} ms");
        if (r.Cpu is { } c) sb.Append($" | machine busy {c.MachineBusyPercent:0}%");
        return sb.ToString();
    }

    private static string Lat(PathStats s) => s.Latency is { } l ? $"p50 {F(l.P50)} p99 {F(l.P99)} max {F(l.Max)} ms" : "no echoes";

    private static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Mark(bool ok) => ok ? "met" : "not met";

    private static string F1(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Triple(Percentiles? l) => l is null ? "–" : $"{F(l.P50)} / {F(l.P99)} / {F(l.Max)}";

    private static string Pair(long? d, long? p) => $"{(d is null ? "–" : d)} / {(p is null ? "–" : p)}";

    public static string Markdown(RunResult run, string jsonPath)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Run {run.StartedUtc:yyyy-MM-dd HH:mm} UTC{(run.GitCommit is null ? "" : $" at commit `{run.GitCommit}`")}, " +
                      $"{run.Machine.Cores} cores ({run.Machine.CpuModel}), {run.Machine.MemoryGiB} GiB RAM, {run.Machine.Os}, .NET {run.Machine.Runtime}.");
        if (run.Note is not null) sb.AppendLine().AppendLine(run.Note);
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(run.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine($"Raw results: `{jsonPath}`. Latency is the round trip of one 20 ms frame (send → last byte of its echo), in ms; " +
                      "“added” is platform minus direct at the same percentile.");
        sb.AppendLine();
        sb.AppendLine("| N | direct p50 / p99 / max | platform p50 / p99 / max | added p50 / p99 / max | lost (direct / platform) | reordered (direct / platform) | Gateway+Router CPU s per session-s | Gateway+Router KiB per session | machine CPU busy | load-gen send lag p99 (direct / platform) |");
        sb.AppendLine("|---:|---|---|---|---|---|---:|---:|---:|---|");
        foreach (var r in run.Steps)
        {
            var added = r.Added is { } a ? $"{F(a.P50)} / {F(a.P99)} / {F(a.Max)}" : "–";
            var cpu = r.Cpu?.PlatformCpuSecondsPerSessionSecond is { } c ? c.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
            var failures = (r.Direct?.ConnectFailures ?? 0) + (r.Platform?.ConnectFailures ?? 0);
            var n = r.Sessions.ToString(CultureInfo.InvariantCulture);
            if (r.Direct is { } d && r.Platform is not null && d.Sessions != r.Sessions) n += $" (direct {d.Sessions})";
            if (failures > 0) n += $" ({failures} failed to connect)";
            sb.AppendLine($"| {n} | {Triple(r.Direct?.Latency)} | {Triple(r.Platform?.Latency)} | {added} | {Pair(r.Direct?.Lost, r.Platform?.Lost)} | " +
                          $"{Pair(r.Direct?.Reordered, r.Platform?.Reordered)} | {cpu} | {F1(r.Memory?.PlatformKibPerSession)} | {F1(r.Cpu?.MachineBusyPercent)}% | " +
                          $"{F(r.Direct?.SendLag?.P99)} / {F(r.Platform?.SendLag?.P99)} |");
        }
        sb.AppendLine();
        sb.AppendLine($"CPU over the measured window, in cores (CPU seconds ÷ window seconds); Router = the sum of {run.RouterProcesses} Router process{(run.RouterProcesses == 1 ? "" : "es")}:");
        sb.AppendLine();
        sb.AppendLine("| N | Gateway | Router | OpenAI emulator | load generator | kernel softirq | everything else | Gateway RSS before → peak (MiB) | Router RSS before → peak (MiB) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in run.Steps)
        {
            var w = r.Cpu?.WindowSeconds ?? 1;
            string Cores(double? s) => s is { } x ? (x / w).ToString("0.00", CultureInfo.InvariantCulture) : "–";
            var m = r.Memory;
            sb.AppendLine($"| {r.Sessions} | {Cores(r.Cpu?.GatewaySeconds)} | {Cores(r.Cpu?.RouterSeconds)} | {Cores(r.Cpu?.EmulatorSeconds)} | {Cores(r.Cpu?.LoadGeneratorSeconds)} | {Cores(r.Cpu?.InterruptSeconds)} | {Cores(r.Cpu?.OtherSeconds)} | " +
                          $"{F1(m?.GatewayRssBeforeMib)} → {F1(m?.GatewayRssPeakMib)} | {F1(m?.RouterRssBeforeMib)} → {F1(m?.RouterRssPeakMib)} |");
        }
        if (run.Steps.Any(r => r.Portkey is not null)) SideBySide(sb, run);
        var notes = Notes(run).ToList();
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var note in notes) sb.AppendLine($"- {note}");
        }
        return sb.ToString();
    }

    /// <summary>Issue 22's comparison: the platform (two hops) against a one-hop Node relay (Portkey), each against direct.</summary>
    private static void SideBySide(StringBuilder sb, RunResult run)
    {
        sb.AppendLine();
        sb.AppendLine("Side by side with Portkey (latency p50 / p99 in ms; relay CPU in ms per session-second; memory: RSS growth per session during the step, then counted from the processes' idle RSS before the run's first session; set-up = connect → `session.created` p99 in ms):");
        sb.AppendLine();
        sb.AppendLine("| N | direct | Portkey | platform | added: Portkey | added: platform | relay CPU: Portkey / platform (×) | KiB per session: Portkey / platform | set-up p99: direct / Portkey / platform | lost, reordered (Portkey / platform) | machine busy (Portkey / platform phase) |");
        sb.AppendLine("|---:|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in run.Steps)
        {
            static string Pp(Percentiles? l) => l is null ? "–" : $"{F(l.P50)} / {F(l.P99)}";
            static string Ad(Added? a) => a is null ? "–" : $"{F(a.P50)} / {F(a.P99)}";
            var k = r.Cpu?.PortkeyCpuSecondsPerSessionSecond * 1000;
            var p = r.Cpu?.PlatformCpuSecondsPerSessionSecond * 1000;
            var ratio = k is > 0 && p is { } pv ? $" ({pv / k.Value:0.00}×)" : "";
            var portkeyBusy = r.Cpu?.PortkeyMachineBusyPercent ?? r.Cpu?.MachineBusyPercent;
            sb.AppendLine($"| {r.Sessions} | {Pp(r.Direct?.Latency)} | {Pp(r.Portkey?.Latency)} | {Pp(r.Platform?.Latency)} | {Ad(r.PortkeyAdded)} | {Ad(r.Added)} | " +
                          $"{F1(k)} / {F1(p)}{ratio} | {F1(r.Memory?.PortkeyKibPerSession)} / {F1(r.Memory?.PlatformKibPerSession)} (from idle {F1(r.Memory?.PortkeyKibPerSessionFromIdle)} / {F1(r.Memory?.PlatformKibPerSessionFromIdle)}) | " +
                          $"{F1(r.Direct?.CreatedP99Ms)} / {F1(r.Portkey?.CreatedP99Ms)} / {F1(r.Platform?.CreatedP99Ms)} | " +
                          $"{r.Portkey?.Lost}, {r.Portkey?.Reordered} / {r.Platform?.Lost}, {r.Platform?.Reordered} | {F1(portkeyBusy)}% / {F1(r.Cpu?.MachineBusyPercent)}% |");
        }
    }

    /// <summary>Mechanical observations; the analysis in the README is written by hand from these.</summary>
    private static IEnumerable<string> Notes(RunResult run)
    {
        foreach (var r in run.Steps)
        {
            // The issue's targets: +1 ms p50 / +5 ms p99 at 500 sessions; 1,000 sessions with p99 ≤ 20 ms and no loss.
            if (r.Sessions == 500 && r.Added is { } a500)
            {
                yield return $"Target at N=500: added p50 {F(a500.P50)} ms (≤ 1: {Mark(a500.P50 <= 1)}), added p99 {F(a500.P99)} ms (≤ 5: {Mark(a500.P99 <= 5)}).";
            }
            if (r.Sessions == 1000 && r.Platform is { } p1000)
            {
                yield return $"Target at N=1000: platform p99 {F(p1000.Latency?.P99)} ms, added p99 {F(r.Added?.P99)} ms (≤ 20: {Mark(r.Added?.P99 <= 20)}), " +
                             $"lost {p1000.Lost} (0: {Mark(p1000.Lost == 0 && p1000.ConnectFailures == 0)}).";
            }
        }
        foreach (var r in run.Steps)
        {
            if (r.Cpu is { MachineBusyPercent: >= 90 } c) yield return $"N={r.Sessions}: the machine was CPU-saturated ({c.MachineBusyPercent:0}% busy).";
            if (r.Cpu is { MachineBusyBeforePercent: > 25 } b) yield return $"N={r.Sessions}: the machine was already {b.MachineBusyBeforePercent:0}% busy before the step: other work was running, so treat this step as noisy.";
            foreach (var p in new[] { r.Direct, r.Portkey, r.Platform })
            {
                if (p is null) continue;
                if (p.ConnectFailures > 0) yield return $"N={r.Sessions} {p.Path}: {p.ConnectFailures} sessions failed to connect: {p.FirstConnectFailure}";
                if (p.SessionsFailedDuringStep > 0) yield return $"N={r.Sessions} {p.Path}: {p.SessionsFailedDuringStep} sessions failed while streaming: {p.FirstStepFailure}";
                if (p.ErrorEvents > 0) yield return $"N={r.Sessions} {p.Path}: {p.ErrorEvents} error events, first: {p.FirstErrorEvent}";
                if (p.AlteredFrames > 0) yield return $"N={r.Sessions} {p.Path}: {p.AlteredFrames} echoed frames had altered samples (matched by order and byte count).";
                if (p.ForeignFrames > 0) yield return $"N={r.Sessions} {p.Path}: {p.ForeignFrames} echoed frames belonged to another session or an unsent sequence number.";
                if (p.FramesDue > 0 && p.FramesSent < 0.95 * p.FramesDue)
                {
                    yield return $"N={r.Sessions} {p.Path}: the load generator sent only {100.0 * p.FramesSent / p.FramesDue:0}% of the frames real time called for, so the offered load was lower than N sessions.";
                }
                if (p.SendLag is { P99: > 5 } lag) yield return $"N={r.Sessions} {p.Path}: the load generator itself fell behind real time (send lag p99 {F(lag.P99)} ms, max {F(lag.Max)} ms).";
            }
        }
    }

    public static void UpdateReadme(string path, string block)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        var content = $"{BeginMarker}\n{block.TrimEnd()}\n{EndMarker}";
        text = begin >= 0 && end > begin
            ? text[..begin] + content + text[(end + EndMarker.Length)..]
            : text.TrimEnd() + "\n\n## Results\n\n" + content + "\n";
        File.WriteAllText(path, text);
    }
}
