using System.Text.Json;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>Where the two paths connect, with which keys, and which processes to measure.</summary>
public sealed record Targets
{
    public Uri? Direct { get; init; }
    public string DirectKey { get; init; } = "";
    public Uri? Platform { get; init; }
    public string PlatformKey { get; init; } = "";
    public int? GatewayPid { get; init; }
    /// <summary>Every Router replica; their CPU and RSS are summed.</summary>
    public int[] RouterPids { get; init; } = [];
    public int? EmulatorPid { get; init; }
    public Uri? Portkey { get; init; }
    public int? PortkeyPid { get; init; }

    public (Uri? Uri, string Key) For(BenchPath path) => path switch
    {
        BenchPath.Direct => (Direct, DirectKey),
        BenchPath.Portkey => (Portkey, DirectKey), // Portkey hands the client's key to the upstream emulator
        _ => (Platform, PlatformKey),
    };

    /// <summary>The optional Portkey target, whichever way the others were found.</summary>
    public Targets WithPortkey(Options options) => options.Portkey is null ? this : this with
    {
        Portkey = RealtimeUri(options.Portkey, options.Model),
        PortkeyPid = options.PortkeyPid ?? ProcStats.PidListeningOn(new Uri(options.Portkey.Replace("ws://", "http://", StringComparison.Ordinal)).Port),
    };

    /// <summary>ws(s)://host:port[/v1[/realtime]] → .../v1/realtime?model=...</summary>
    public static Uri RealtimeUri(string baseUrl, string model)
    {
        var url = baseUrl.TrimEnd('/');
        if (url.StartsWith("http://", StringComparison.Ordinal)) url = "ws://" + url["http://".Length..];
        else if (url.StartsWith("https://", StringComparison.Ordinal)) url = "wss://" + url["https://".Length..];
        var q = url.IndexOf('?');
        if (q >= 0) url = url[..q];
        if (!url.EndsWith("/v1/realtime", StringComparison.Ordinal))
        {
            url += url.EndsWith("/v1", StringComparison.Ordinal) ? "/realtime" : "/v1/realtime";
        }
        return new Uri($"{url}?model={Uri.EscapeDataString(model)}");
    }

    /// <summary>Targets from an AppHost endpoints.json.</summary>
    public static Targets FromEndpointsFile(string path, Options options)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var gateway = root.GetProperty("gateway").GetString()!;
        var emulator = root.GetProperty("emulators").GetProperty("openai-emulator").GetString()!;
        // "router" (one instance) or "router-1", "router-2", ... (replicas).
        var routers = root.GetProperty("services").EnumerateObject()
            .Where(p => p.Name == "router" || p.Name.StartsWith("router-", StringComparison.Ordinal))
            .Select(p => new Uri(p.Value.GetString()!).Port).ToList();
        return new Targets
        {
            Direct = RealtimeUri(emulator, options.Model),
            DirectKey = options.EmulatorKey,
            Platform = RealtimeUri(gateway, options.Model),
            PlatformKey = root.GetProperty("devApiKey").GetString()!,
            GatewayPid = options.GatewayPid ?? ProcStats.PidListeningOn(new Uri(gateway).Port),
            RouterPids = options.RouterPids ?? routers.Select(ProcStats.PidListeningOn).OfType<int>().ToArray(),
            EmulatorPid = options.EmulatorPid ?? ProcStats.PidListeningOn(new Uri(emulator).Port),
        };
    }

    /// <summary>Targets from --gateway / --emulator URLs.</summary>
    public static Targets FromCommandLine(Options options) => new()
    {
        Direct = options.Emulator is null ? null : RealtimeUri(options.Emulator, options.Model),
        DirectKey = options.EmulatorKey,
        Platform = options.Gateway is null ? null : RealtimeUri(options.Gateway, options.Model),
        PlatformKey = options.GatewayKey ?? "",
        GatewayPid = options.GatewayPid ?? (options.Gateway is null ? null : ProcStats.PidListeningOn(new Uri(options.Gateway).Port)),
        RouterPids = options.RouterPids ?? ProcStats.PidsByCommandLine("VoicePlatform.Router.dll"),
        EmulatorPid = options.EmulatorPid ?? (options.Emulator is null ? null : ProcStats.PidListeningOn(new Uri(options.Emulator).Port)),
    };
}
