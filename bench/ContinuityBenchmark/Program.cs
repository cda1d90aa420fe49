using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using HdrHistogram;
using VoicePlatform.Bench.RelayBenchmark;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Bench.ContinuityBenchmark;

/// <summary>
/// Phase "failover": one AppHost (2 Routers), N sessions per model at real-time pace, then --kills kill -9s of the
/// Router that serves the sessions (each restarted by AppHost once; the next kill picks the other, now busy, one).
/// Phase "rollover": a fresh AppHost whose Gemini emulator ends connections every 5 s (goAway 2 s before), N Gemini
/// sessions for --rollover-duration; gaps between echoed chunks per 1 s window vs the failover phase's pre-kill baseline.
/// </summary>
public static partial class Program
{
    private static readonly double TicksPerMs = Stopwatch.Frequency / 1000.0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static async Task<int> Main(string[] args)
    {
        var o = Opts.Parse(args);
        var root = FindRoot();
        var results = new JsonObject
        {
            ["started_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["command"] = "dotnet run --project bench/ContinuityBenchmark -c Release --no-build -- " + string.Join(' ', args),
            ["machine"] = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            ["note"] = o.Note,
            ["options"] = JsonSerializer.SerializeToNode(o),
        };
        double[] baselineGeminiWindowMax = [];
        if (o.Phases.Contains("failover"))
        {
            var (node, baseline) = await FailoverPhaseAsync(o, root);
            results["failover"] = node;
            baselineGeminiWindowMax = baseline;
        }
        if (o.Phases.Contains("rollover"))
        {
            results["rollover"] = await RolloverPhaseAsync(o, root, baselineGeminiWindowMax);
        }
        var outDir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, $"continuity-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        await File.WriteAllTextAsync(file, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {file}");
        return 0;
    }

    // ---------------------------------------------------------------- failover

    private static async Task<(JsonObject, double[])> FailoverPhaseAsync(Opts o, string root)
    {
        await using var host = await AppHost.StartAsync(root, o.RouterReplicas, new Dictionary<string, string>());
        Console.WriteLine($"[failover] AppHost up, log {host.LogPath}");
        var ep = host.Endpoints();
        var routers = ep.RouterGrpc; // name → grpc url
        var sessions = await ConnectAsync(o, ep, o.Models);
        var clock = Clock.Start(sessions);
        await Task.Delay(o.Warmup + o.Baseline);
        var baselineEnd = Stopwatch.GetTimestamp();

        var kills = new List<JsonObject>();
        var killTicks = new List<(long Ticks, string Router, int Active, DateTime Utc)>();
        var killCount = new Dictionary<string, int>();
        for (var k = 0; k < o.Kills; k++)
        {
            // Every Router that answers, with its active sessions.
            var alive = new List<(string Name, int Active)>();
            var waitUntil = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                alive.Clear();
                foreach (var (name, url) in routers)
                {
                    var info = await InfoAsync(url);
                    if (info is not null) alive.Add((name, info.ActiveSessions));
                }
                // The Router killed last must be back (restarted) unless it was already restarted once.
                var expected = routers.Count(r => killCount.GetValueOrDefault(r.Key) < 2);
                if (alive.Count >= expected || DateTime.UtcNow > waitUntil) break;
                await Task.Delay(500);
            }
            if (alive.Count < 2)
            {
                Console.WriteLine($"[failover] only {alive.Count} Router(s) alive; stopping after {k} kills");
                break;
            }
            var target = alive.OrderByDescending(a => a.Active).First();
            var port = new Uri(routers[target.Name]).Port;
            var pid = ProcStats.PidListeningOn(port);
            if (pid is null)
            {
                Console.WriteLine($"[failover] no pid listens on {port}; stopping");
                break;
            }
            var t = Stopwatch.GetTimestamp();
            var killedAt = DateTime.UtcNow;
            Kill(pid.Value, 9);
            killCount[target.Name] = killCount.GetValueOrDefault(target.Name) + 1;
            killTicks.Add((t, target.Name, target.Active, killedAt));
            Console.WriteLine($"[failover] {DateTime.UtcNow:HH:mm:ss.fff} kill -9 {target.Name} pid {pid} with {target.Active} active sessions (alive: {string.Join(", ", alive.Select(a => $"{a.Name}={a.Active}"))})");
            await Task.Delay(o.Settle);
        }
        clock.Stop();
        await Task.Delay(2000); // drain
        foreach (var s in sessions) s.Stop();

        // Baseline: per-session max inter-chunk gap per 1 s window before the first kill (warm-up excluded).
        var baselineStart = clock.StartTicks + (long)(o.Warmup.TotalMilliseconds * TicksPerMs);
        var baseWindows = new Dictionary<string, List<double>>();
        foreach (var s in sessions)
        {
            var list = baseWindows.TryGetValue(s.Model, out var l) ? l : baseWindows[s.Model] = [];
            list.AddRange(WindowMaxGaps(s.ChunkSnapshot(), baselineStart, baselineEnd, 1000));
        }

        var failoverTimes = new Dictionary<string, List<double>>();
        var toNew = new List<double>();
        var perKill = new JsonArray();
        var flowingAll = new List<double>();
        var gatewayLog = GatewayReattachLog.Read(host.LogPath);
        foreach (var (t, name, active, killedAt) in killTicks)
        {
            // The sessions that really moved: the Gateway logs every re-attach (and how long until audio flowed again).
            var moved = gatewayLog.MovedBetween(killedAt, killedAt + o.Settle);
            var gatewaySide = moved.Values.Where(ms => ms is not null).Select(ms => (double)ms!.Value).ToList();
            var flowingPerKill = new List<double>();
            var affected = 0;
            var dupPerKill = 0;
            var byModel = new Dictionary<string, List<double>>();
            var unaffectedMaxGap = 0.0;
            var limit = t + (long)(o.Settle.TotalMilliseconds * TicksPerMs);
            // Per session: the largest interval between consecutive echoes that ends after the kill (the one spanning the
            // kill included). The sessions that were on the killed Router are taken to be the `active` ones with the
            // largest such gap (GetInstanceInfo gives counts, not ids); the largest gap left over is reported so the
            // split can be judged, and so is how many sessions exceed the fixed threshold.
            // Also the end of the *first* gap over the threshold after the kill: when audio flows again after the failover
            // itself, as opposed to the largest gap, which can be a later stall of the whole machine (this box shows
            // 170-430 ms gaps with no fault at all; see baseline_window_max_gap_ms).
            var gaps = new List<(ContinuitySession S, double Gap, long End, long FirstGapEnd)>();
            foreach (var s in sessions)
            {
                var chunks = s.ChunkSnapshot();
                double maxGap = 0; long gapEnd = 0; long firstGapEnd = 0;
                for (var i = 1; i < chunks.Length; i++)
                {
                    if (chunks[i].Ticks <= t || chunks[i].Ticks > limit) continue;
                    var gap = (chunks[i].Ticks - Math.Max(chunks[i - 1].Ticks, t)) / TicksPerMs;
                    if (gap > maxGap) { maxGap = gap; gapEnd = chunks[i].Ticks; }
                    if (firstGapEnd == 0 && gap >= o.AffectedThresholdMs) firstGapEnd = chunks[i].Ticks;
                }
                gaps.Add((s, maxGap, gapEnd, firstGapEnd));
            }
            var ranked = gaps.OrderByDescending(g => g.Gap).ToList();
            affected = ranked.Count(g => g.Gap >= o.AffectedThresholdMs);
            // Exactly the moved sessions when the Gateway's log names them (else, as before, the `active` ones with the
            // largest gaps: GetInstanceInfo gives counts, not ids).
            var exact = moved.Count > 0;
            var movedGaps = exact ? ranked.Where(g => g.S.SessionId is { } id && moved.ContainsKey(id)).ToList() : ranked.Take(active).ToList();
            unaffectedMaxGap = ranked.Except(movedGaps).Select(g => g.Gap).DefaultIfEmpty(0).Max();
            foreach (var (s, _, gapEnd, firstGapEnd) in movedGaps)
            {
                if (gapEnd == 0) continue;
                var ms = (gapEnd - t) / TicksPerMs;
                (byModel.TryGetValue(s.Model, out var l) ? l : byModel[s.Model] = []).Add(ms);
                (failoverTimes.TryGetValue(s.Model, out var l2) ? l2 : failoverTimes[s.Model] = []).Add(ms);
                // No gap over the threshold: the move itself was shorter, and the largest gap is it.
                var flowing = ((firstGapEnd != 0 ? firstGapEnd : gapEnd) - t) / TicksPerMs;
                flowingPerKill.Add(flowing);
                flowingAll.Add(flowing);
                if (s.BitExact)
                {
                    // Time to the first echoed frame newer than anything echoed before the kill (replayed frames skipped).
                    var frames = s.FrameSnapshot();
                    long last = -1;
                    foreach (var f in frames) if (f.Ticks <= t) last = Math.Max(last, f.Seq);
                    var first = frames.FirstOrDefault(f => f.Ticks > t && f.Seq > last);
                    if (first.Ticks != 0) toNew.Add((first.Ticks - t) / TicksPerMs);
                    dupPerKill += frames.Count(f => f.Ticks > t && f.Ticks <= limit && f.Seq <= last);
                }
            }
            var never = sessions.Count(s => !s.ChunkSnapshot().Any(c => c.Ticks > t));
            perKill.Add(new JsonObject
            {
                ["router"] = name,
                ["active_sessions_before_kill"] = active,
                ["sessions_with_gap_over_threshold"] = affected,
                ["sessions_never_echoed_again"] = never,
                ["replayed_frames_echoed_again"] = dupPerKill,
                ["largest_gap_outside_moved_ms"] = Math.Round(unaffectedMaxGap, 1),
                ["failover_ms"] = JsonSerializer.SerializeToNode(byModel.ToDictionary(kv => kv.Key, kv => Stats(kv.Value))),
                ["audio_flowing_again_ms"] = Stats(flowingPerKill),
                ["moved_sessions"] = exact ? moved.Count : null,
                ["moved_sessions_from"] = exact ? "gateway log" : "largest gaps",
                ["gateway_reattach_to_first_audio_ms"] = Stats(gatewaySide),
            });
        }
        var all = failoverTimes.Values.SelectMany(v => v).ToList();
        var node = new JsonObject
        {
            ["apphost_log"] = host.LogPath,
            ["sessions"] = sessions.Count,
            ["kills"] = perKill,
            ["affected_threshold_ms"] = o.AffectedThresholdMs,
            ["baseline_window_max_gap_ms"] = JsonSerializer.SerializeToNode(baseWindows.ToDictionary(kv => kv.Key, kv => Stats(kv.Value))),
            ["failover_ms_all"] = Stats(all),
            ["audio_flowing_again_ms_all"] = Stats(flowingAll),
            ["openai_failover_to_first_new_frame_ms"] = Stats(toNew),
            ["failover_ms_by_model"] = JsonSerializer.SerializeToNode(failoverTimes.ToDictionary(kv => kv.Key, kv => Stats(kv.Value))),
            ["integrity"] = Integrity(sessions),
        };
        Console.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await Task.WhenAll(sessions.Select(s => s.CloseAsync()));
        return (node, baseWindows.TryGetValue(o.GeminiModel, out var g) ? [.. g] : []);
    }

    // ---------------------------------------------------------------- rollover

    private static async Task<JsonObject> RolloverPhaseAsync(Opts o, string root, double[] baseline)
    {
        var env = new Dictionary<string, string>
        {
            ["GeminiEmulator__ConnectionLifetime"] = o.ConnectionLifetime,
            ["GeminiEmulator__GoAwayLeadTime"] = o.GoAwayLeadTime,
        };
        await using var host = await AppHost.StartAsync(root, o.RouterReplicas, env);
        Console.WriteLine($"[rollover] AppHost up, log {host.LogPath}");
        var ep = host.Endpoints();
        var sessions = await ConnectAsync(o, ep, [o.RolloverModel ?? o.GeminiModel]);
        var logLinesBefore = host.CountLog("switching to connection");
        var clockUtc = DateTime.UtcNow;
        var clock = Clock.Start(sessions);
        await Task.Delay(o.Warmup + o.RolloverDuration);
        var end = Stopwatch.GetTimestamp();
        clock.Stop();
        await Task.Delay(2000);
        foreach (var s in sessions) s.Stop();
        var rolloversLogged = host.CountLog("switching to connection") - logLinesBefore;

        var start = clock.StartTicks + (long)(o.Warmup.TotalMilliseconds * TicksPerMs);
        var windows = new List<double>();
        var hist = new LongHistogram(3_600_000_000L, 3);
        var allGaps = new List<double>();
        foreach (var s in sessions)
        {
            var chunks = s.ChunkSnapshot();
            windows.AddRange(WindowMaxGaps(chunks, start, end, 1000));
            for (var i = 1; i < chunks.Length; i++)
            {
                if (chunks[i].Ticks < start || chunks[i].Ticks > end) continue;
                var g = (chunks[i].Ticks - chunks[i - 1].Ticks) / TicksPerMs;
                allGaps.Add(g);
                hist.RecordValue((long)(g * 1000));
            }
        }
        var baseMax = baseline.Length == 0 ? double.NaN : baseline.Max();
        var above = double.IsNaN(baseMax) ? [] : windows.Where(w => w > baseMax).ToList();
        var node = new JsonObject
        {
            ["apphost_log"] = host.LogPath,
            ["environment"] = JsonSerializer.SerializeToNode(env),
            ["sessions"] = sessions.Count,
            ["model"] = o.RolloverModel ?? o.GeminiModel,
            ["measured_s"] = o.RolloverDuration.TotalSeconds,
            ["rollovers_logged_by_router"] = rolloversLogged,
            ["inter_chunk_gap_ms"] = new JsonObject
            {
                ["count"] = hist.TotalCount,
                ["p50"] = hist.TotalCount == 0 ? null : hist.GetValueAtPercentile(50) / 1000.0,
                ["p99"] = hist.TotalCount == 0 ? null : hist.GetValueAtPercentile(99) / 1000.0,
                ["p99_9"] = hist.TotalCount == 0 ? null : hist.GetValueAtPercentile(99.9) / 1000.0,
                ["max"] = Math.Round(allGaps.DefaultIfEmpty(0).Max(), 3),
            },
            ["window_1s_max_gap_ms"] = Stats(windows),
            ["baseline_window_1s_max_gap_ms_no_rollover"] = Stats(baseline),
            ["windows_above_baseline_max"] = Stats(above),
            ["integrity"] = Integrity(sessions),
        };
        if (o.GeminiTurnMs > 0) node["responses_after_a_switch_in_silence"] = SilentSwitchGaps(o, sessions, RolloverSwitchLog.Read(host.LogPath), clockUtc, clock.StartTicks, start, end);
        Console.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        await Task.WhenAll(sessions.Select(s => s.CloseAsync()));
        return node;
    }

    /// <summary>
    /// With conversational turns the echoed audio comes in responses separated by the pauses. A response whose preceding
    /// silence (end of the last response → its first chunk) contains a switch to a new Gemini connection is compared
    /// with responses whose silence does not: the client should not be able to tell them apart (target: within one
    /// 20 ms frame). Switches that fell inside a response (between two chunks closer than half a pause) are counted.
    /// </summary>
    private static JsonObject SilentSwitchGaps(Opts o, List<ContinuitySession> sessions, RolloverSwitchLog switches, DateTime clockUtc,
        long clockTicks, long start, long end)
    {
        var responseGapMs = Math.Max(100, o.GeminiPauseMs / 2);
        var cycleMs = o.GeminiTurnMs + o.GeminiPauseMs;
        var afterSwitch = new List<double>();
        var noSwitch = new List<double>();
        var latencyAfterSwitch = new List<double>();
        var latencyNoSwitch = new List<double>();
        var inResponse = 0;
        var logged = 0;
        foreach (var s in sessions)
        {
            var chunks = s.ChunkSnapshot();
            var at = switches.For(s.SessionId ?? "", clockUtc)
                .Select(t => clockTicks + (long)((t - clockUtc).TotalMilliseconds * TicksPerMs)).Where(t => t >= start && t <= end).ToList();
            logged += at.Count;
            for (var i = 1; i < chunks.Length; i++)
            {
                if (chunks[i].Ticks < start || chunks[i].Ticks > end) continue;
                var gap = (chunks[i].Ticks - chunks[i - 1].Ticks) / TicksPerMs;
                var switched = at.Count(t => t > chunks[i - 1].Ticks && t <= chunks[i].Ticks);
                if (gap < responseGapMs)
                {
                    inResponse += switched;
                    continue;
                }
                (switched > 0 ? afterSwitch : noSwitch).Add(gap);
                // The reply's latency: from the end of the user's latest tone (the clock sends frame n at n × 20 ms).
                var sinceClock = (chunks[i].Ticks - clockTicks) / TicksPerMs;
                var toneEnd = Math.Floor(sinceClock / cycleMs) * cycleMs + o.GeminiTurnMs;
                if (toneEnd > sinceClock) toneEnd -= cycleMs;
                (switched > 0 ? latencyAfterSwitch : latencyNoSwitch).Add(sinceClock - toneEnd);
            }
        }
        var (withSwitch, without) = (Stats(afterSwitch), Stats(noSwitch));
        var p50 = (withSwitch["p50"]?.GetValue<double>(), without["p50"]?.GetValue<double>());
        return new JsonObject
        {
            ["switches_logged"] = logged,
            ["switches_inside_a_response"] = inResponse,
            ["silence_before_response_ms_after_switch"] = withSwitch,
            ["silence_before_response_ms_no_switch"] = without,
            ["p50_difference_ms"] = p50 is ({ } a, { } b) ? Math.Round(a - b, 1) : null,
            ["reply_latency_ms_after_switch"] = Stats(latencyAfterSwitch),
            ["reply_latency_ms_no_switch"] = Stats(latencyNoSwitch),
        };
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<List<ContinuitySession>> ConnectAsync(Opts o, Endpoints ep, IEnumerable<string> models)
    {
        var sessions = new List<ContinuitySession>();
        uint id = 1;
        foreach (var m in models)
        {
            for (var i = 0; i < o.Sessions; i++) sessions.Add(new ContinuitySession(m, id++, o.CommitEveryMs / 20, o.GeminiTurnMs / 20, o.GeminiPauseMs / 20));
        }
        await Task.WhenAll(sessions.Select(s => s.ConnectAsync(RealtimeUri(ep.Gateway, s.Model), ep.Key, CancellationToken.None)));
        var failed = sessions.Where(s => !s.Connected).ToList();
        foreach (var f in failed.Take(3)) Console.WriteLine($"session {f.Id} ({f.Model}) failed: {f.Failure}");
        if (failed.Count > 0) throw new InvalidOperationException($"{failed.Count} of {sessions.Count} sessions failed to connect");
        Console.WriteLine($"{sessions.Count} sessions connected");
        return sessions;
    }

    private static Uri RealtimeUri(string gateway, string model) =>
        new($"{gateway.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/')}/v1/realtime?model={Uri.EscapeDataString(model)}");

    private static async Task<InstanceInfo?> InfoAsync(string url)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(url);
            var client = new RealtimeRouter.RealtimeRouterClient(channel);
            return await client.GetInstanceInfoAsync(new GetInstanceInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Per 1 s window in [start, end): the largest interval between consecutive chunks ending in it.</summary>
    private static IEnumerable<double> WindowMaxGaps((long Ticks, int Bytes)[] chunks, long start, long end, int windowMs)
    {
        var w = (long)(windowMs * TicksPerMs);
        var n = (int)((end - start) / w);
        var max = new double[n];
        for (var i = 1; i < chunks.Length; i++)
        {
            var t = chunks[i].Ticks;
            if (t < start || t >= start + n * w) continue;
            var idx = (int)((t - start) / w);
            max[idx] = Math.Max(max[idx], (t - chunks[i - 1].Ticks) / TicksPerMs);
        }
        return max;
    }

    private static JsonObject Stats(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return new JsonObject { ["count"] = 0 };
        double P(double p) => v[Math.Min(v.Length - 1, (int)Math.Ceiling(p / 100 * v.Length) - 1)];
        return new JsonObject
        {
            ["count"] = v.Length,
            ["p50"] = Math.Round(P(50), 1),
            ["p99"] = Math.Round(P(99), 1),
            ["max"] = Math.Round(v[^1], 1),
        };
    }

    private static JsonObject Integrity(List<ContinuitySession> sessions)
    {
        var o = new JsonObject();
        foreach (var g in sessions.GroupBy(s => s.Model))
        {
            var sent = g.Sum(s => (long)s.Sent);
            var bytesSent = sent * AudioFrames.FrameBytes;
            var recv = g.Sum(s => s.ReceivedBytes);
            var m = new JsonObject
            {
                ["frames_sent"] = sent,
                ["audio_ms_sent"] = bytesSent / 48.0,
                ["audio_ms_received"] = Math.Round(recv / 48.0, 1),
                ["audio_ms_received_minus_sent"] = Math.Round((recv - bytesSent) / 48.0, 1),
                ["session_failures"] = g.Count(s => s.Failure is not null),
                ["first_failure"] = g.Select(s => s.Failure).FirstOrDefault(f => f is not null),
                ["error_events"] = g.Sum(s => s.ErrorEvents),
                ["first_error_event"] = g.Select(s => s.FirstError).FirstOrDefault(f => f is not null),
            };
            if (g.First().BitExact)
            {
                m["frames_lost"] = g.Sum(s => s.Sent - s.Seen.Count(q => q < s.Sent));
                m["frames_duplicated"] = g.Sum(s => s.Duplicates);
                m["frames_reordered"] = g.Sum(s => s.Reordered);
                m["frames_altered_header"] = g.Sum(s => s.Altered);
                m["frames_foreign"] = g.Sum(s => s.Foreign);
            }
            o[g.Key] = m;
        }
        return o;
    }

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "VoicePlatform.sln"))) return d.FullName;
            }
        }
        throw new InvalidOperationException("VoicePlatform.sln not found");
    }
}

/// <summary>One thread; every 20 ms tells every session how many frames are due (absolute deadlines, no drift).</summary>
public sealed class Clock
{
    private volatile bool _stop;
    public long StartTicks { get; private init; }

    public static Clock Start(List<ContinuitySession> sessions)
    {
        var c = new Clock { StartTicks = Stopwatch.GetTimestamp() };
        var frame = Stopwatch.Frequency * AudioFrames.FrameMs / 1000;
        var ticker = new Thread(() =>
        {
            var k = 0;
            while (!c._stop)
            {
                var deadline = c.StartTicks + k * frame;
                while (Stopwatch.GetTimestamp() < deadline) Thread.Sleep(1);
                k++;
                foreach (var s in sessions) s.Advance(k);
            }
        });
        ticker.IsBackground = true;
        ticker.Priority = ThreadPriority.AboveNormal;
        ticker.Name = "clock";
        ticker.Start();
        return c;
    }

    public void Stop() => _stop = true;
}

public sealed record Opts
{
    public int Sessions { get; init; } = 20;
    public string[] Models { get; init; } = ["gpt-realtime-2-loopback", "gemini-3.1-flash-live-loopback"];
    public string GeminiModel { get; init; } = "gemini-3.1-flash-live-loopback";

    /// <summary>The rollover phase's model (default <see cref="GeminiModel"/>). The emulator's speaking model answers each turn and is silent between answers; the loopback model echoes every chunk, silence included.</summary>
    public string? RolloverModel { get; init; }
    public int Kills { get; init; } = 3;
    public int RouterReplicas { get; init; } = 2;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RolloverDuration { get; init; } = TimeSpan.FromSeconds(60);
    public string ConnectionLifetime { get; init; } = "00:00:05";
    public string GoAwayLeadTime { get; init; } = "00:00:02";
    public double AffectedThresholdMs { get; init; } = 150;
    public string[] Phases { get; init; } = ["failover", "rollover"];
    public string? Note { get; init; }

    /// <summary>OpenAI sessions commit their input every this many ms of audio (0: never, the whole session is one turn).</summary>
    public int CommitEveryMs { get; init; }
    public int GeminiTurnMs { get; init; }
    public int GeminiPauseMs { get; init; }

    public static Opts Parse(string[] a)
    {
        var o = new Opts();
        for (var i = 0; i < a.Length; i++)
        {
            string Next() => a[++i];
            o = a[i] switch
            {
                "--sessions" => o with { Sessions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--models" => o with { Models = Next().Split(',') },
                "--kills" => o with { Kills = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--router-replicas" => o with { RouterReplicas = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--baseline" => o with { Baseline = Secs(Next()) },
                "--settle" => o with { Settle = Secs(Next()) },
                "--rollover-duration" => o with { RolloverDuration = Secs(Next()) },
                "--rollover-model" => o with { RolloverModel = Next() },
                "--connection-lifetime" => o with { ConnectionLifetime = Next() },
                "--threshold-ms" => o with { AffectedThresholdMs = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--phases" => o with { Phases = Next().Split(',') },
                "--note" => o with { Note = Next() },
                "--commit-every-ms" => o with { CommitEveryMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--gemini-turn-ms" => o with { GeminiTurnMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--gemini-pause-ms" => o with { GeminiPauseMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {a[i]}; options: --sessions N --models a,b --kills K --router-replicas R --baseline 10s --settle 10s --rollover-duration 60s --rollover-model M --connection-lifetime 00:00:05 --threshold-ms 150 --phases failover,rollover --note TEXT --commit-every-ms 0 --gemini-turn-ms 0 --gemini-pause-ms 0"),
            };
        }
        return o;
    }

    private static TimeSpan Secs(string s) => TimeSpan.FromSeconds(double.Parse(s.TrimEnd('s'), CultureInfo.InvariantCulture));
}
