using System.Globalization;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>Which path a session takes to the loopback model.</summary>
public enum BenchPath
{
    Direct,
    /// <summary>A one-hop Node relay (Portkey's gateway) in front of a TLS copy of the emulator: the comparison.</summary>
    Portkey,
    Platform,
}

/// <summary>The benchmark's command line.</summary>
public sealed record Options
{
    public const string Usage = """
        usage: dotnet run --project bench/RelayBenchmark -c Release -- [options]

          --sessions 50,200,500,1000   concurrent sessions per path, one step each (default 50,200,500,1000)
          --duration 20s               measured time per step (default 20s)
          --warmup 5s                  streaming before measuring starts, excluded (default 5s)
          --process-warmup 0s          before the first step, stream this long at the first step's N through every
                                       path, unmeasured: the services reach their optimised code (tiered JIT) first
          --drain 3s                   after the last frame, wait for echoes until none came for this long (max 1 min)
          --settle 3s                  pause between steps (default 3s)
          --paths direct,platform      which paths to run (default direct,platform; portkey needs --portkey)
          --mode concurrent|sequential all paths at once (default), or one path after another per step, each alone
          --direct-sessions K          direct sessions per step: N (default) or at most K, a probe of the
                                       emulator-only round trip under the same load that halves the extra load
          --model NAME                 loopback model (default gpt-realtime-2-loopback)
          --no-session-update          do not send session.update {audio.input.turn_detection:null}
          --connect-concurrency 64     handshakes in flight at once
          --connect-spread 1s          start the N handshakes evenly over this time instead of all at once
          --commit-every 2s            send input_audio_buffer.commit after this much audio (a turn), so what a relay
                                       keeps for replay until the commit stays bounded (default: never commit)
          --quiet-timeout 120s         before each step, wait up to this long for the machine to be <25% busy

        Platform (default: start AppHost as a child; build it first with dotnet build AppHost -c Release):
          --apphost-config Release     which AppHost build to run (default: this benchmark's configuration)
          --state-dir DIR              AppHost state directory (default: a fresh temporary one, removed after)
          --router-replicas N          passed to AppHost (default: AppHost's own default)
          --endpoints FILE             use an already running AppHost's endpoints.json instead
          --gateway URL --gateway-key KEY --emulator URL [--emulator-key KEY]
                                       use these endpoints instead (ws://host:port[/v1])
          --portkey URL --portkey-pid P
                                       a running Portkey gateway (ws://127.0.0.1:8787) and its node process, for
                                       the portkey path; bench/PortkeyRelay/side-by-side.sh starts one and passes these
          --gateway-pid P --router-pid P[,P...] --emulator-pid P
                                       processes to measure CPU/RSS of (default: found by listening port;
                                       every Router replica is measured and summed)

        Output:
          --out FILE                   JSON results (default bench/results/relay-<utc time>.json)
          --readme FILE                Markdown file whose results block is replaced (default bench/README.md)
          --no-readme                  do not touch the README
          --note TEXT                  recorded with the results (e.g. what was built, what else ran)
          --smoke                      N=2, 3 s, 1 s warm-up, no README; exit code 1 on lost frames or failures
        """;

    public int[] Sessions { get; init; } = [50, 200, 500, 1000];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ProcessWarmup { get; init; } = TimeSpan.Zero;
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);
    public BenchPath[] Paths { get; init; } = [BenchPath.Direct, BenchPath.Platform];
    public bool Sequential { get; init; }
    public int? DirectSessions { get; init; }
    public string Model { get; init; } = "gpt-realtime-2-loopback";
    public bool SessionUpdate { get; init; } = true;
    public int ConnectConcurrency { get; init; } = 64;
    public TimeSpan ConnectSpread { get; init; } = TimeSpan.Zero;
    public TimeSpan CommitEvery { get; init; } = TimeSpan.Zero;
    public TimeSpan QuietTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public string? AppHostConfiguration { get; init; }
    public string? StateDirectory { get; init; }
    public string? EndpointsFile { get; init; }
    public string? Gateway { get; init; }
    public string? GatewayKey { get; init; }
    public string? Emulator { get; init; }
    public string EmulatorKey { get; init; } = "bench-any-key";
    public string? Portkey { get; init; }
    public int? PortkeyPid { get; init; }
    public int? GatewayPid { get; init; }
    public int[]? RouterPids { get; init; }
    public int? RouterReplicas { get; init; }
    public int? EmulatorPid { get; init; }

    public string? Out { get; init; }
    public string? Readme { get; init; }
    public bool NoReadme { get; init; }
    public string? Note { get; init; }
    public bool Smoke { get; init; }

    public bool Has(BenchPath path) => Paths.Contains(path);

    /// <summary>Whether URLs were given, so no AppHost is started.</summary>
    public bool External => EndpointsFile is not null || Gateway is not null || Emulator is not null;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => ++i < args.Length ? args[i] : throw new ArgumentException($"'{name}' needs a value.");
            o = name switch
            {
                "--sessions" => o with { Sessions = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(PositiveInt).ToArray() },
                "--duration" => o with { Duration = ParseTime(Next()) },
                "--warmup" => o with { Warmup = ParseTime(Next()) },
                "--process-warmup" => o with { ProcessWarmup = ParseTime(Next()) },
                "--drain" => o with { Drain = ParseTime(Next()) },
                "--settle" => o with { Settle = ParseTime(Next()) },
                "--paths" => o with { Paths = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParsePath).Distinct().ToArray() },
                "--mode" => o with { Sequential = ParseMode(Next()) },
                "--direct-sessions" => o with { DirectSessions = PositiveInt(Next()) },
                "--model" => o with { Model = Next() },
                "--no-session-update" => o with { SessionUpdate = false },
                "--connect-concurrency" => o with { ConnectConcurrency = PositiveInt(Next()) },
                "--connect-spread" => o with { ConnectSpread = ParseTime(Next()) },
                "--commit-every" => o with { CommitEvery = ParseTime(Next()) },
                "--quiet-timeout" => o with { QuietTimeout = ParseTime(Next()) },
                "--apphost-config" => o with { AppHostConfiguration = Next() },
                "--state-dir" => o with { StateDirectory = Next() },
                "--endpoints" => o with { EndpointsFile = Next() },
                "--gateway" => o with { Gateway = Next() },
                "--gateway-key" => o with { GatewayKey = Next() },
                "--emulator" => o with { Emulator = Next() },
                "--emulator-key" => o with { EmulatorKey = Next() },
                "--portkey" => o with { Portkey = Next() },
                "--portkey-pid" => o with { PortkeyPid = PositiveInt(Next()) },
                "--gateway-pid" => o with { GatewayPid = PositiveInt(Next()) },
                "--router-pid" or "--router-pids" => o with { RouterPids = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(PositiveInt).ToArray() },
                "--router-replicas" => o with { RouterReplicas = PositiveInt(Next()) },
                "--emulator-pid" => o with { EmulatorPid = PositiveInt(Next()) },
                "--out" => o with { Out = Next() },
                "--readme" => o with { Readme = Next() },
                "--no-readme" => o with { NoReadme = true },
                "--note" => o with { Note = Next() },
                "--smoke" => o with { Smoke = true },
                "-h" or "--help" => throw new HelpRequested(),
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }
        if (o.Smoke)
        {
            o = o with
            {
                Sessions = [2],
                Duration = TimeSpan.FromSeconds(3),
                Warmup = TimeSpan.FromSeconds(1),
                Drain = TimeSpan.FromSeconds(3),
                Settle = TimeSpan.Zero,
                QuietTimeout = TimeSpan.Zero,
                NoReadme = true,
            };
        }
        if (o.Paths.Length == 0) throw new ArgumentException("--paths is empty.");
        if (o.Sessions.Length == 0) throw new ArgumentException("--sessions is empty.");
        if (o.Gateway is not null && o.GatewayKey is null) throw new ArgumentException("--gateway needs --gateway-key.");
        if (o.Has(BenchPath.Portkey) && o.Portkey is null) throw new ArgumentException("the portkey path needs --portkey URL.");
        return o;
    }

    private static bool ParseMode(string mode) => mode switch
    {
        "concurrent" => false,
        "sequential" => true,
        _ => throw new ArgumentException($"--mode must be concurrent or sequential, not '{mode}'."),
    };

    private static BenchPath ParsePath(string s) => s.Trim().ToLowerInvariant() switch
    {
        "direct" => BenchPath.Direct,
        "portkey" => BenchPath.Portkey,
        "platform" or "gateway" => BenchPath.Platform,
        _ => throw new ArgumentException($"Unknown path '{s}' (direct, portkey, platform)."),
    };

    private static int PositiveInt(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"'{s}' is not a positive integer.");

    /// <summary>"20s", "1.5s", "500ms", "2m", or plain seconds.</summary>
    public static TimeSpan ParseTime(string s)
    {
        s = s.Trim();
        var (number, scale) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.Ordinal) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ => (s, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * scale)
            : throw new ArgumentException($"'{s}' is not a duration (e.g. 20s, 500ms, 2m).");
    }
}

public sealed class HelpRequested : Exception;
