using System.Diagnostics;
using HdrHistogram;

namespace VoicePlatform.Bench.RelayBenchmark;

public sealed record Percentiles(double P50, double P90, double P99, double P999, double Max, double Mean, long Count)
{
    public static Percentiles? From(LongHistogram h, long exactMaxMicros) => h.TotalCount == 0 ? null : new Percentiles(
        Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
        Ms(h.GetValueAtPercentile(99.9)), Ms(exactMaxMicros), Math.Round(h.GetMean() / 1000.0, 3), h.TotalCount);

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

public sealed record PathStats
{
    public required string Path { get; init; }
    public required string Url { get; init; }
    public int Sessions { get; init; }
    public int Connected { get; init; }
    public int ConnectFailures { get; init; }
    public string? FirstConnectFailure { get; init; }
    public double HandshakeP50Ms { get; init; }
    public double HandshakeMaxMs { get; init; }
    /// <summary>Connect → session.created (the set-up a relay adds), over the sessions that connected.</summary>
    public double CreatedP50Ms { get; init; }
    public double CreatedP99Ms { get; init; }
    /// <summary>Connect → WebSocket upgrade (the part of the set-up before the 101).</summary>
    public double UpgradeP50Ms { get; init; }
    public double UpgradeP99Ms { get; init; }
    public int SessionsFailedDuringStep { get; init; }
    public string? FirstStepFailure { get; init; }
    /// <summary>Frames real time called for: connected sessions × (warm-up + window) ÷ 20 ms.</summary>
    public long FramesDue { get; init; }
    public long FramesSent { get; init; }
    public long FramesMeasured { get; init; }
    public long FramesEchoed { get; init; }
    public long Lost { get; init; }
    public long Reordered { get; init; }
    public long Duplicates { get; init; }
    public long AlteredFrames { get; init; }
    public long ForeignFrames { get; init; }
    public long ErrorEvents { get; init; }
    public string? FirstErrorEvent { get; init; }
    /// <summary>Round trip send→echo of the frames sent in the measured window, in ms.</summary>
    public Percentiles? Latency { get; init; }
    /// <summary>How late the load generator handed frames to the socket versus their real-time deadline, in ms.</summary>
    public Percentiles? SendLag { get; init; }

    public static PathStats Compute(BenchPath path, Uri url, IReadOnlyList<BenchSession> sessions, long windowStart, long windowEnd)
    {
        var latency = new LongHistogram(1, 3_600_000_000, 3); // µs, up to an hour
        var lag = new LongHistogram(1, 3_600_000_000, 3);
        long sent = 0, measured = 0, echoed = 0, lost = 0, maxLatency = 0, maxLag = 0;
        var frameTicks = 20 * FrameScheduler.MillisecondTicks;
        foreach (var s in sessions)
        {
            var count = s.Sent;
            sent += count;
            for (var i = 0; i < count; i++)
            {
                var tx = s.SendTicks[i];
                var rx = s.ReceiveTicks[i];
                if (rx == 0) lost++;
                if (tx < windowStart || tx >= windowEnd) continue;
                measured++;
                var late = Micros(tx - (s.DueBase + i * frameTicks));
                lag.RecordValue(Math.Max(1, late));
                maxLag = Math.Max(maxLag, late);
                if (rx == 0) continue;
                echoed++;
                var rtt = Micros(rx - tx);
                latency.RecordValue(Math.Max(1, rtt));
                maxLatency = Math.Max(maxLatency, rtt);
            }
        }
        var connected = sessions.Where(s => s.Connected).ToList();
        var handshakes = connected.Select(s => s.HandshakeTime.TotalMilliseconds).Order().ToArray();
        var created = connected.Select(s => s.CreatedTime.TotalMilliseconds).Order().ToArray();
        var upgraded = connected.Select(s => s.UpgradeTime.TotalMilliseconds).Order().ToArray();
        return new PathStats
        {
            Path = path.ToString().ToLowerInvariant(),
            Url = url.GetLeftPart(UriPartial.Path) + url.Query,
            Sessions = sessions.Count,
            Connected = connected.Count,
            ConnectFailures = sessions.Count - connected.Count,
            FirstConnectFailure = sessions.FirstOrDefault(s => !s.Connected)?.Failure,
            HandshakeP50Ms = handshakes.Length == 0 ? 0 : Math.Round(handshakes[handshakes.Length / 2], 1),
            HandshakeMaxMs = handshakes.Length == 0 ? 0 : Math.Round(handshakes[^1], 1),
            CreatedP50Ms = Nearest(created, 0.50),
            CreatedP99Ms = Nearest(created, 0.99),
            UpgradeP50Ms = Nearest(upgraded, 0.50),
            UpgradeP99Ms = Nearest(upgraded, 0.99),
            SessionsFailedDuringStep = connected.Count(s => s.Failed),
            FirstStepFailure = connected.FirstOrDefault(s => s.Failed)?.Failure,
            FramesSent = sent,
            FramesMeasured = measured,
            FramesEchoed = echoed,
            Lost = lost,
            Reordered = sessions.Sum(s => (long)s.Reordered),
            Duplicates = sessions.Sum(s => (long)s.Duplicates),
            AlteredFrames = sessions.Sum(s => (long)s.Altered),
            ForeignFrames = sessions.Sum(s => (long)s.Foreign + s.OutOfRange),
            ErrorEvents = sessions.Sum(s => (long)s.ErrorEvents),
            FirstErrorEvent = sessions.FirstOrDefault(s => s.FirstErrorEvent is not null)?.FirstErrorEvent,
            Latency = Percentiles.From(latency, maxLatency),
            SendLag = Percentiles.From(lag, maxLag),
        };
    }

    private static long Micros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Nearest(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
}

public sealed record Added(double P50, double P90, double P99, double P999, double Max)
{
    public static Added? From(PathStats? direct, PathStats? platform) =>
        direct?.Latency is { } d && platform?.Latency is { } p
            ? new Added(R(p.P50 - d.P50), R(p.P90 - d.P90), R(p.P99 - d.P99), R(p.P999 - d.P999), R(p.Max - d.Max))
            : null;

    private static double R(double v) => Math.Round(v, 3);
}

public sealed record CpuStats
{
    public double WindowSeconds { get; init; }
    public double? GatewaySeconds { get; init; }
    public double? RouterSeconds { get; init; }
    public double? EmulatorSeconds { get; init; }
    public double LoadGeneratorSeconds { get; init; }
    /// <summary>Busy share of all cores over the window (100 = every core busy).</summary>
    public double MachineBusyPercent { get; init; }
    /// <summary>irq + softirq CPU seconds (loopback TCP delivery, charged to no process).</summary>
    public double InterruptSeconds { get; init; }
    /// <summary>Busy CPU seconds spent neither by the four processes above nor in interrupts: AppHost's other children, anything else running.</summary>
    public double OtherSeconds { get; init; }
    /// <summary>Busy share of all cores in the second before the step connected: noise from other work on the machine.</summary>
    public double MachineBusyBeforePercent { get; init; }
    /// <summary>(Gateway + Router CPU seconds) / (platform sessions × window seconds).</summary>
    public double? PlatformCpuSecondsPerSessionSecond { get; init; }
    /// <summary>Portkey's node process over its window (in sequential mode: the Portkey phase's own window).</summary>
    public double? PortkeySeconds { get; init; }
    /// <summary>Portkey CPU seconds / (Portkey sessions × window seconds).</summary>
    public double? PortkeyCpuSecondsPerSessionSecond { get; init; }
    /// <summary>In sequential mode, the machine's busy share during the Portkey phase.</summary>
    public double? PortkeyMachineBusyPercent { get; init; }
}

public sealed record MemoryStats
{
    public double? GatewayRssBeforeMib { get; init; }
    public double? RouterRssBeforeMib { get; init; }
    public double? GatewayRssPeakMib { get; init; }
    public double? RouterRssPeakMib { get; init; }
    /// <summary>(Gateway + Router peak RSS during the step − RSS before connecting) / platform sessions.</summary>
    public double? PlatformKibPerSession { get; init; }
    /// <summary>The same right after the handshakes, before any audio.</summary>
    public double? PlatformIdleKibPerSession { get; init; }
    public double? EmulatorRssPeakMib { get; init; }
    public double LoadGeneratorRssPeakMib { get; init; }
    public double? PortkeyRssBeforeMib { get; init; }
    public double? PortkeyRssPeakMib { get; init; }
    /// <summary>(Portkey peak RSS − RSS before connecting) / Portkey sessions.</summary>
    public double? PortkeyKibPerSession { get; init; }
    /// <summary>(Gateway + Router peak RSS − their RSS before the run's first session) / platform sessions: fixed costs of
    /// a started process (JIT'd code, pools, heaps grown by earlier steps) included.</summary>
    public double? PlatformKibPerSessionFromIdle { get; init; }
    public double? PortkeyKibPerSessionFromIdle { get; init; }
}

public sealed record StepResult
{
    public int Sessions { get; init; }
    public required string Mode { get; init; }
    public PathStats? Direct { get; init; }
    public PathStats? Portkey { get; init; }
    public PathStats? Platform { get; init; }
    /// <summary>Platform minus direct.</summary>
    public Added? Added { get; init; }
    /// <summary>Portkey minus direct.</summary>
    public Added? PortkeyAdded { get; init; }
    public CpuStats? Cpu { get; init; }
    public MemoryStats? Memory { get; init; }
}

public sealed record MachineInfo(int Cores, double MemoryGiB, string CpuModel, string Os, string Runtime);

public sealed record RunResult
{
    public required string Command { get; init; }
    public DateTime StartedUtc { get; init; }
    public required MachineInfo Machine { get; init; }
    public required object Settings { get; init; }
    public string? GitCommit { get; init; }
    public string? Note { get; init; }
    /// <summary>Router processes measured (replicas); their CPU and RSS are summed in every "Router" figure.</summary>
    public int RouterProcesses { get; init; }
    public List<StepResult> Steps { get; } = [];
}
