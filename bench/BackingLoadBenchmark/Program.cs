using System.Globalization;
using System.Text;
using System.Text.Json;
using VoicePlatform.Bench.BackingLoadBenchmark;
using VoicePlatform.Bench.InsightsBenchmark;

// Usage: dotnet run --project bench/BackingLoadBenchmark -c Release -- [--sessions 50] [--duration 60] [--quiesce 30] [--idle 30]
//        [--warmup 10] [--speak 4] [--settle 10] [--model gpt-realtime-2] [--note TEXT] [--no-readme]
// Seconds everywhere. Boots AppHost (Release), measures, stops it; writes bench/results/backing-<utc>.json and, unless
// --no-readme, the results block of bench/README.md.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length && !args[p.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[p.i + 1] : "");
double Option(string name, double fallback) => options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
var sessions = (int)Option("sessions", 50);
var duration = Option("duration", 60);
var idle = Option("idle", 30);
var quiesce = Option("quiesce", 30);
var warmup = Option("warmup", 10);
var speak = Option("speak", 4);
var settle = Option("settle", 10);
var model = options.GetValueOrDefault("model", "gpt-realtime-2");
var note = options.GetValueOrDefault("note", "");
var root = FindRoot();

await using var host = await AppHostChild.StartAsync(root);
var endpoints = host.Endpoints();
await using var probe = await BackingProbe.ConnectAsync(endpoints, host.StateDirectory);
var realtime = new Uri($"{endpoints.Gateway.Replace("http", "ws", StringComparison.Ordinal)}/v1/realtime?model={Uri.EscapeDataString(model)}");

// Start-up work (migrations, warm-ups, the first statistics flushes) must be over before the idle window is taken.
Console.WriteLine($"letting the platform settle {quiesce} s, then an idle window of {idle} s");
await Task.Delay(TimeSpan.FromSeconds(quiesce));
var s0 = await probe.TakeAsync();
var idleCpu = new MachineCpu();
await Task.Delay(TimeSpan.FromSeconds(idle));
var s1 = await probe.TakeAsync();
var idleBusy = idleCpu.BusyShare();

Console.WriteLine($"connecting {sessions} sessions ({model})");
var clients = new LoadSession[sessions];
using (var handshakes = new SemaphoreSlim(16))
{
    await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
    {
        await handshakes.WaitAsync();
        try
        {
            clients[i] = await LoadSession.ConnectAsync(realtime, endpoints.ApiKey, CancellationToken.None);
        }
        finally
        {
            handshakes.Release();
        }
    }));
}
var s2 = await probe.TakeAsync();

Console.WriteLine($"talking: {warmup} s warm-up, {duration} s measured");
using var stop = new CancellationTokenSource();
var talking = clients.Select(c => c.TalkAsync(TimeSpan.FromSeconds(speak), stop.Token)).ToArray();
await Task.Delay(TimeSpan.FromSeconds(warmup));
var turnsBefore = clients.Sum(c => c.Turns);
var s3 = await probe.TakeAsync();
var steadyCpu = new MachineCpu();
await Task.Delay(TimeSpan.FromSeconds(duration));
var s4 = await probe.TakeAsync();
var steadyBusy = steadyCpu.BusyShare();
var turns = clients.Sum(c => c.Turns) - turnsBefore;
await stop.CancelAsync();
await Task.WhenAll(talking);
var errors = clients.Sum(c => c.Errors);
var lastError = clients.Select(c => c.LastError).LastOrDefault(e => e is not null);

Console.WriteLine($"closing; {settle} s for session ends to settle");
await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
await Task.Delay(TimeSpan.FromSeconds(settle));
var s5 = await probe.TakeAsync();

var idleRate = s1.Minus(s0);
var report = new BackingLoadReport(
    DateTime.UtcNow, sessions, model, duration, speak, note, Environment.ProcessorCount, idleBusy, steadyBusy, turns, errors, lastError,
    idleRate, s2.Minus(s1), s4.Minus(s3), s5.Minus(s4), s4.RedisUsedMemory - s1.RedisUsedMemory, s4.RedisKeys - s1.RedisKeys);
var table = report.Markdown();
Console.WriteLine(table);

var stamp = report.At.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var json = Path.Combine(root, "bench", "results", $"backing-{stamp}.json");
Directory.CreateDirectory(Path.GetDirectoryName(json)!);
await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {json}");
if (!options.ContainsKey("no-readme"))
{
    var readme = Path.Combine(root, "bench", "README.md");
    var text = await File.ReadAllTextAsync(readme);
    const string begin = "<!-- backing-load-results:begin -->", end = "<!-- backing-load-results:end -->";
    var from = text.IndexOf(begin, StringComparison.Ordinal);
    var to = text.IndexOf(end, StringComparison.Ordinal);
    if (from < 0 || to < from) throw new InvalidOperationException($"{readme} has no {begin} … {end} block");
    var command = "dotnet run --project bench/BackingLoadBenchmark -c Release -- " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
    var block = new StringBuilder().AppendLine(begin)
        .AppendLine(CultureInfo.InvariantCulture, $"Run {report.At:yyyy-MM-dd HH:mm} UTC, {report.Cores} cores; results `bench/results/backing-{stamp}.json`.")
        .AppendLine().AppendLine("```").AppendLine(command).AppendLine("```").AppendLine()
        .Append(table);
    await File.WriteAllTextAsync(readme, text[..from] + block + text[to..]);
    Console.WriteLine($"updated {readme}");
}
return errors == 0 && turns > 0 ? 0 : 1;

static string FindRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "VoicePlatform.sln"))) return directory.FullName;
    throw new InvalidOperationException("VoicePlatform.sln not found above the benchmark's build output");
}
