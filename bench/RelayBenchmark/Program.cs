using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using VoicePlatform.Bench.RelayBenchmark;

Options options;
try
{
    options = Options.Parse(args);
}
catch (HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var command = "dotnet run --project bench/RelayBenchmark -c Release -- " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
AppHostProcess? appHost = null;
try
{
    Targets targets;
    if (options.EndpointsFile is not null)
    {
        targets = Targets.FromEndpointsFile(options.EndpointsFile, options);
    }
    else if (options.External)
    {
        targets = Targets.FromCommandLine(options);
    }
    else
    {
        StepRunner.Log("starting AppHost (state in a temporary directory)...");
        var started = Stopwatch.StartNew();
        appHost = await AppHostProcess.StartAsync(options, cancel.Token);
        StepRunner.Log($"AppHost ready in {started.Elapsed.TotalSeconds:0.0} s; its log: {appHost.LogPath}");
        targets = Targets.FromEndpointsFile(appHost.EndpointsFile, options);
    }

    targets = targets.WithPortkey(options);
    foreach (var path in options.Paths)
    {
        if (targets.For(path).Uri is null)
        {
            throw new ArgumentException($"No endpoint for the {path.ToString().ToLowerInvariant()} path (give --{(path == BenchPath.Direct ? "emulator" : "gateway")} or --paths).");
        }
    }
    StepRunner.Log($"direct:   {targets.Direct}");
    if (targets.Portkey is not null) StepRunner.Log($"portkey:  {targets.Portkey}");
    StepRunner.Log($"platform: {targets.Platform}");
    StepRunner.Log($"measuring pids: gateway {targets.GatewayPid?.ToString() ?? "?"}, router {(targets.RouterPids.Length == 0 ? "?" : string.Join(',', targets.RouterPids))}, emulator {targets.EmulatorPid?.ToString() ?? "?"}"
        + (targets.Portkey is null ? "" : $", portkey {targets.PortkeyPid?.ToString() ?? "?"}"));

    // The services' memory before any session: per-session figures "from idle" count from here (fixed costs included).
    var idleRss = (Gateway: ProcStats.Rss(targets.GatewayPid), Router: ProcStats.Rss(targets.RouterPids), Portkey: ProcStats.Rss(targets.PortkeyPid));

    // Pre-flight: one short session per path, so a broken path fails fast with its reason (and the JIT warms up).
    var preflight = new StepRunner(options with { QuietTimeout = TimeSpan.Zero, Warmup = TimeSpan.Zero, Duration = TimeSpan.FromSeconds(1), Drain = TimeSpan.FromSeconds(3) }, targets);
    var check = await preflight.RunAsync(1, cancel.Token);
    foreach (var p in new[] { check.Direct, check.Portkey, check.Platform })
    {
        if (p is null) continue;
        if (p.Connected == 0 || p.FramesEchoed == 0)
        {
            throw new InvalidOperationException($"pre-flight: the {p.Path} path does not work: {p.FirstConnectFailure ?? p.FirstStepFailure ?? p.FirstErrorEvent ?? "no echo received"}");
        }
    }

    if (options.ProcessWarmup > TimeSpan.Zero)
    {
        StepRunner.Log($"process warm-up: {options.Sessions[0]} sessions per path for {options.ProcessWarmup.TotalSeconds:0} s, not measured");
        var warm = new StepRunner(options with { QuietTimeout = TimeSpan.Zero, Warmup = TimeSpan.Zero, Duration = options.ProcessWarmup }, targets);
        await warm.RunAsync(options.Sessions[0], cancel.Token);
        await Task.Delay(options.Settle, cancel.Token);
    }

    var machine = ProcStats.Machine();
    var run = new RunResult
    {
        Command = command,
        StartedUtc = DateTime.UtcNow,
        Machine = new MachineInfo(machine.Cores, machine.MemoryGiB, machine.CpuModel, RuntimeInformation.OSDescription, Environment.Version.ToString()),
        GitCommit = GitCommit(),
        Note = options.Note,
        RouterProcesses = targets.RouterPids.Length,
        Settings = new
        {
            sessions = options.Sessions,
            duration_s = options.Duration.TotalSeconds,
            warmup_s = options.Warmup.TotalSeconds,
            drain_s = options.Drain.TotalSeconds,
            mode = options.Sequential ? "sequential" : "concurrent",
            direct_sessions = options.DirectSessions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N",
            quiet_timeout_s = options.QuietTimeout.TotalSeconds,
            paths = options.Paths.Select(p => p.ToString().ToLowerInvariant()),
            model = options.Model,
            frame_ms = AudioFrames.FrameMs,
            frame_bytes = AudioFrames.FrameBytes,
            sample_rate = AudioFrames.SampleRate,
            session_update = options.SessionUpdate,
            process_warmup_s = options.ProcessWarmup.TotalSeconds,
            idle_rss_mib = new { gateway = idleRss.Gateway, router = idleRss.Router, portkey = idleRss.Portkey },
            connect_spread_s = options.ConnectSpread.TotalSeconds,
            commit_every_s = options.CommitEvery.TotalSeconds,
            started_apphost = appHost is not null,
        },
    };

    var runner = new StepRunner(options, targets) { IdleRss = idleRss };
    foreach (var n in options.Sessions)
    {
        run.Steps.Add(await runner.RunAsync(n, cancel.Token));
        if (n != options.Sessions[^1]) await Task.Delay(options.Settle, cancel.Token);
    }

    var root = AppHostProcess.RepositoryRoot();
    var outPath = Path.GetFullPath(options.Out ?? (options.Smoke
        ? Path.Combine(Path.GetTempPath(), $"relay-smoke-{run.StartedUtc:yyyyMMdd-HHmmss}.json")
        : Path.Combine(root, "bench", "results", $"relay-{run.StartedUtc:yyyyMMdd-HHmmss}.json")));
    Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
    var json = new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(run, json));
    var relative = Path.GetRelativePath(root, outPath);
    var markdown = Report.Markdown(run, relative);
    Console.WriteLine();
    Console.WriteLine(markdown);
    StepRunner.Log($"results: {outPath}");
    if (!options.NoReadme)
    {
        var readme = Path.GetFullPath(options.Readme ?? Path.Combine(root, "bench", "README.md"));
        Report.UpdateReadme(readme, markdown);
        StepRunner.Log($"updated {readme}");
    }

    if (options.Smoke)
    {
        var problems = run.Steps.SelectMany(s => new[] { s.Direct, s.Portkey, s.Platform }).Where(p => p is not null)
            .Where(p => p!.Lost > 0 || p.ConnectFailures > 0 || p.SessionsFailedDuringStep > 0 || p.FramesEchoed == 0 || p.ForeignFrames > 0)
            .Select(p => $"{p!.Path}: lost {p.Lost}, connect failures {p.ConnectFailures}, failed {p.SessionsFailedDuringStep}, echoed {p.FramesEchoed}, foreign {p.ForeignFrames}")
            .ToList();
        foreach (var problem in problems) Console.Error.WriteLine($"smoke FAILED: {problem}");
        if (problems.Count > 0) return 1;
        StepRunner.Log("smoke passed: every frame came back");
    }
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or ArgumentException or IOException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
finally
{
    if (appHost is not null)
    {
        StepRunner.Log("stopping AppHost");
        await appHost.DisposeAsync();
    }
}

static string? GitCommit()
{
    try
    {
        var info = new ProcessStartInfo("git", "describe --always --dirty") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppHostProcess.RepositoryRoot() };
        using var git = Process.Start(info)!;
        var output = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return git.ExitCode == 0 && output.Length > 0 ? output : null;
    }
    catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
    {
        return null;
    }
}
