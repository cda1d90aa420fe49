using System.Diagnostics;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>Runs one step: N sessions per path, connect, stream (warm-up + measured window), drain, close, measure.</summary>
public sealed class StepRunner(Options options, Targets targets)
{
    private uint _nextSessionId = 1;

    /// <summary>The services' RSS in MiB before the run's first session, for the "from idle" per-session figures.</summary>
    public (double? Gateway, double? Router, double? Portkey) IdleRss { get; init; }

    public async Task<StepResult> RunAsync(int n, CancellationToken cancellationToken)
    {
        if (options.Sequential && options.Paths.Length > 1)
        {
            // Each path alone, in the order given; every path's figures come from its own phase.
            var phases = new Dictionary<BenchPath, StepResult>();
            foreach (var path in options.Paths)
            {
                if (phases.Count > 0) await Task.Delay(options.Settle, cancellationToken);
                phases[path] = await RunPhaseAsync(n, [path], cancellationToken);
            }
            var direct = phases.GetValueOrDefault(BenchPath.Direct)?.Direct;
            var portkeyPhase = phases.GetValueOrDefault(BenchPath.Portkey);
            var main = phases.GetValueOrDefault(BenchPath.Platform) ?? phases.Values.Last();
            return main with
            {
                Mode = "sequential",
                Direct = direct,
                Portkey = portkeyPhase?.Portkey,
                Added = Added.From(direct, main.Platform),
                PortkeyAdded = Added.From(direct, portkeyPhase?.Portkey),
                Cpu = main.Cpu! with
                {
                    PortkeySeconds = portkeyPhase?.Cpu?.PortkeySeconds,
                    PortkeyCpuSecondsPerSessionSecond = portkeyPhase?.Cpu?.PortkeyCpuSecondsPerSessionSecond,
                    PortkeyMachineBusyPercent = portkeyPhase?.Cpu?.MachineBusyPercent,
                },
                Memory = main.Memory! with
                {
                    PortkeyRssBeforeMib = portkeyPhase?.Memory?.PortkeyRssBeforeMib,
                    PortkeyRssPeakMib = portkeyPhase?.Memory?.PortkeyRssPeakMib,
                    PortkeyKibPerSession = portkeyPhase?.Memory?.PortkeyKibPerSession,
                    PortkeyKibPerSessionFromIdle = portkeyPhase?.Memory?.PortkeyKibPerSessionFromIdle,
                },
            };
        }
        return await RunPhaseAsync(n, options.Paths, cancellationToken);
    }

    private async Task<StepResult> RunPhaseAsync(int n, BenchPath[] paths, CancellationToken cancellationToken)
    {
        var capacity = (int)((options.Warmup + options.Duration).TotalMilliseconds / AudioFrames.FrameMs) + 50;
        var commitEvery = (int)(options.CommitEvery.TotalMilliseconds / AudioFrames.FrameMs);
        int Count(BenchPath p) => p == BenchPath.Direct && options.DirectSessions is { } k ? Math.Min(k, n) : n;
        var byPath = paths.ToDictionary(p => p, p => Enumerable.Range(0, Count(p)).Select(_ => new BenchSession(p, _nextSessionId++, capacity, commitEvery)).ToList());
        // Interleave: direct 0, platform 0, direct 1, platform 1, ... so both paths share slots, batches and connect order.
        var all = Enumerable.Range(0, n).SelectMany(i => paths.Where(p => i < byPath[p].Count).Select(p => byPath[p][i])).ToList();
        var measurePlatform = paths.Contains(BenchPath.Platform);
        var measurePortkey = paths.Contains(BenchPath.Portkey);

        var busyBefore = await WaitForQuietAsync(cancellationToken);
        var gatewayBefore = Rss(targets.GatewayPid);
        var routerBefore = Rss(targets.RouterPids);
        var portkeyBefore = Rss(targets.PortkeyPid);

        var label = string.Join("+", paths.Select(p => p.ToString().ToLowerInvariant()));
        Log($"N={n} {label}: connecting {all.Count} sessions");
        var connectWatch = Stopwatch.StartNew();
        var order = all.Select((session, index) => (session, index)).ToDictionary(p => p.session, p => p.index);
        var connectStart = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = cancellationToken },
            async (session, ct) =>
            {
                // --connect-spread: session i starts its handshake at i/N of the spread.
                await DelayUntil(connectStart + ToTicks(options.ConnectSpread * order[session] / all.Count), ct);
                var (uri, key) = targets.For(session.Path);
                await session.ConnectAsync(uri!, key, options.SessionUpdate, ct);
            });
        foreach (var path in paths)
        {
            var failed = byPath[path].Where(s => !s.Connected).ToList();
            Log($"  {path.ToString().ToLowerInvariant()}: {byPath[path].Count - failed.Count}/{byPath[path].Count} connected in {connectWatch.Elapsed.TotalSeconds:0.0} s"
                + (failed.Count > 0 ? $"; first failure: {failed[0].Failure}" : ""));
        }

        var gatewayIdle = Rss(targets.GatewayPid);
        var routerIdle = Rss(targets.RouterPids);

        var live = all.Where(s => s.Connected).ToList();
        var scheduler = new FrameScheduler(live);
        scheduler.Begin();
        var windowStart = scheduler.Start + ToTicks(options.Warmup);
        var windowEnd = windowStart + ToTicks(options.Duration);

        await DelayUntil(windowStart, cancellationToken);
        var cpu0 = CpuSnapshot.Take(targets);
        double gatewayPeak = gatewayIdle ?? 0, routerPeak = routerIdle ?? 0, emulatorPeak = 0, selfPeak = 0, portkeyPeak = portkeyBefore ?? 0;
        while (Stopwatch.GetTimestamp() < windowEnd)
        {
            var next = Math.Min(windowEnd, Stopwatch.GetTimestamp() + Stopwatch.Frequency);
            await DelayUntil(next, cancellationToken);
            gatewayPeak = Math.Max(gatewayPeak, Rss(targets.GatewayPid) ?? 0);
            routerPeak = Math.Max(routerPeak, Rss(targets.RouterPids) ?? 0);
            emulatorPeak = Math.Max(emulatorPeak, Rss(targets.EmulatorPid) ?? 0);
            portkeyPeak = Math.Max(portkeyPeak, Rss(targets.PortkeyPid) ?? 0);
            selfPeak = Math.Max(selfPeak, ProcStats.RssMiB(Environment.ProcessId));
        }
        var cpu1 = CpuSnapshot.Take(targets);
        scheduler.End();

        // Drain: wait for the echoes of everything sent until none has arrived for the grace period (an overloaded
        // platform may still be working through a backlog: late is not lost), at most a minute.
        var drainStart = Stopwatch.GetTimestamp();
        var lastProgress = drainStart;
        var received = live.Sum(s => (long)s.Received);
        while (live.Any(s => !s.Failed && s.Received < s.Sent)
               && Stopwatch.GetTimestamp() - lastProgress < ToTicks(options.Drain)
               && Stopwatch.GetTimestamp() - drainStart < ToTicks(TimeSpan.FromMinutes(1)))
        {
            await Task.Delay(20, cancellationToken);
            var now = live.Sum(s => (long)s.Received);
            if (now != received) lastProgress = Stopwatch.GetTimestamp();
            received = now;
        }
        var drained = Stopwatch.GetElapsedTime(drainStart);
        if (drained > options.Drain) Log($"  draining the backlog took {drained.TotalSeconds:0.0} s");
        await Task.WhenAll(live.Select(s => s.CloseAsync(TimeSpan.FromSeconds(5))));

        var window = options.Duration.TotalSeconds;
        var framesPerSession = (long)((options.Warmup + options.Duration).TotalMilliseconds / AudioFrames.FrameMs);
        PathStats? Stats(BenchPath path) => byPath.TryGetValue(path, out var sessions)
            ? PathStats.Compute(path, targets.For(path).Uri!, sessions, windowStart, windowEnd) with { FramesDue = framesPerSession * sessions.Count(s => s.Connected) }
            : null;
        var direct = Stats(BenchPath.Direct);
        var portkey = Stats(BenchPath.Portkey);
        var platform = Stats(BenchPath.Platform);
        var portkeySessions = portkey?.Connected ?? 0;
        var portkeyCpu = Delta(cpu0.Portkey, cpu1.Portkey);
        var platformSessions = platform?.Connected ?? 0;
        var gatewayCpu = Delta(cpu0.Gateway, cpu1.Gateway);
        var routerCpu = Delta(cpu0.Router, cpu1.Router);
        var result = new StepResult
        {
            Sessions = n,
            Mode = paths.Length > 1 ? "concurrent" : label,
            Direct = direct,
            Portkey = portkey,
            Platform = platform,
            Added = Added.From(direct, platform),
            PortkeyAdded = Added.From(direct, portkey),
            Cpu = new CpuStats
            {
                WindowSeconds = window,
                GatewaySeconds = gatewayCpu,
                RouterSeconds = routerCpu,
                EmulatorSeconds = Delta(cpu0.Emulator, cpu1.Emulator),
                LoadGeneratorSeconds = Math.Round(cpu1.Self - cpu0.Self, 2),
                MachineBusyPercent = Math.Round(100 * (cpu1.MachineBusy - cpu0.MachineBusy) / Math.Max(1e-9, cpu1.MachineTotal - cpu0.MachineTotal), 1),
                InterruptSeconds = Math.Round(cpu1.MachineInterrupts - cpu0.MachineInterrupts, 2),
                OtherSeconds = Math.Round(Math.Max(0, cpu1.MachineBusy - cpu0.MachineBusy - (cpu1.MachineInterrupts - cpu0.MachineInterrupts)
                    - new[] { gatewayCpu, routerCpu, Delta(cpu0.Emulator, cpu1.Emulator), portkeyCpu }.Sum(v => v ?? 0) - (cpu1.Self - cpu0.Self)), 2),
                MachineBusyBeforePercent = busyBefore,
                PlatformCpuSecondsPerSessionSecond = measurePlatform && platformSessions > 0 && gatewayCpu is { } g && routerCpu is { } r
                    ? Math.Round((g + r) / (platformSessions * window), 6) : null,
                PortkeySeconds = measurePortkey ? portkeyCpu : null,
                PortkeyCpuSecondsPerSessionSecond = measurePortkey && portkeySessions > 0 && portkeyCpu is { } k
                    ? Math.Round(k / (portkeySessions * window), 6) : null,
            },
            Memory = new MemoryStats
            {
                GatewayRssBeforeMib = Round(gatewayBefore),
                RouterRssBeforeMib = Round(routerBefore),
                GatewayRssPeakMib = gatewayBefore is null ? null : Round(gatewayPeak),
                RouterRssPeakMib = routerBefore is null ? null : Round(routerPeak),
                PlatformKibPerSession = measurePlatform && platformSessions > 0 && gatewayBefore is { } gb && routerBefore is { } rb
                    ? Math.Round((gatewayPeak + routerPeak - gb - rb) * 1024 / platformSessions, 1) : null,
                PlatformIdleKibPerSession = measurePlatform && platformSessions > 0 && gatewayBefore is { } gb2 && routerBefore is { } rb2 && gatewayIdle is { } gi && routerIdle is { } ri
                    ? Math.Round((gi + ri - gb2 - rb2) * 1024 / platformSessions, 1) : null,
                EmulatorRssPeakMib = targets.EmulatorPid is null ? null : Round(emulatorPeak),
                LoadGeneratorRssPeakMib = Math.Round(selfPeak, 1),
                PortkeyRssBeforeMib = measurePortkey ? Round(portkeyBefore) : null,
                PortkeyRssPeakMib = measurePortkey && portkeyBefore is not null ? Round(portkeyPeak) : null,
                PortkeyKibPerSession = measurePortkey && portkeySessions > 0 && portkeyBefore is { } kb
                    ? Math.Round((portkeyPeak - kb) * 1024 / portkeySessions, 1) : null,
                PlatformKibPerSessionFromIdle = measurePlatform && platformSessions > 0 && IdleRss.Gateway is { } ig && IdleRss.Router is { } ir
                    ? Math.Round((gatewayPeak + routerPeak - ig - ir) * 1024 / platformSessions, 1) : null,
                PortkeyKibPerSessionFromIdle = measurePortkey && portkeySessions > 0 && IdleRss.Portkey is { } ik
                    ? Math.Round((portkeyPeak - ik) * 1024 / portkeySessions, 1) : null,
            },
        };
        Log(Report.SummaryLine(result));
        return result;
    }

    /// <summary>
    /// The machine may be shared (builds, tests): wait up to <see cref="Options.QuietTimeout"/> for a second in which
    /// it is less than 25% busy, and return the busy share of the last second measured.
    /// </summary>
    private async Task<double> WaitForQuietAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            var a = ProcStats.MachineCpu();
            await Task.Delay(1000, cancellationToken);
            var b = ProcStats.MachineCpu();
            var busy = Math.Round(100 * (b.Busy - a.Busy) / Math.Max(1e-9, b.Total - a.Total), 1);
            if (busy < 25) return busy;
            if (waited.Elapsed >= options.QuietTimeout)
            {
                Log($"warning: the machine is still {busy:0}% busy before the step (other work running?); going ahead");
                return busy;
            }
            if (!announced) Log($"the machine is {busy:0}% busy with other work; waiting up to {options.QuietTimeout.TotalSeconds:0} s for it to go quiet");
            announced = true;
        }
    }

    private static double? Rss(int? pid) => ProcStats.Rss(pid);

    private static double? Rss(int[] pids) => ProcStats.Rss(pids);

    private static double? Round(double? v) => v is null ? null : Math.Round(v.Value, 1);

    private static double? Delta(double? a, double? b) => a is { } x && b is { } y && !double.IsNaN(x) && !double.IsNaN(y) ? Math.Round(y - x, 2) : null;

    private static long ToTicks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private static async Task DelayUntil(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining > 0) await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), cancellationToken);
    }

    public static void Log(string line) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");

    private sealed record CpuSnapshot(double? Gateway, double? Router, double? Emulator, double? Portkey, double Self, double MachineBusy, double MachineTotal, double MachineInterrupts)
    {
        public static CpuSnapshot Take(Targets t)
        {
            var (busy, total, interrupts) = ProcStats.MachineCpu();
            double? router = t.RouterPids.Length == 0 ? null : t.RouterPids.Sum(ProcStats.CpuSeconds);
            return new CpuSnapshot(Cpu(t.GatewayPid), router, Cpu(t.EmulatorPid), Cpu(t.PortkeyPid), ProcStats.CpuSeconds(Environment.ProcessId), busy, total, interrupts);
        }

        private static double? Cpu(int? pid) => pid is { } p ? ProcStats.CpuSeconds(p) : null;
    }
}
