using System.Diagnostics;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Resources;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.SessionLimits;

/// <summary>
/// The Gateway as a real child process (its built assembly, as AppHost runs it) on a free loopback port, so a test can
/// make real WebSocket handshakes against Kestrel and kill it with SIGKILL, as a crash would.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _output = new();

    private GatewayProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<GatewayProcess> StartAsync(string databaseConnectionString, string operatorKey, IReadOnlyDictionary<string, string> settings)
    {
        var services = await BackingServices.GetAsync();
        var assembly = Path.Combine(PlatformOptions.FindRepositoryRoot(), "src", "Gateway", "bin", PlatformOptions.BuildConfiguration, "net10.0", "VoicePlatform.Gateway.dll");
        var url = $"http://127.0.0.1:{FreePorts.Next()}";
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Kestrel__Endpoints__http__Url"] = url;
        start.Environment["ConnectionStrings__postgres-gateway"] = databaseConnectionString;
        start.Environment["ConnectionStrings__redis"] = services.RedisConnectionString;
        start.Environment["ConnectionStrings__rabbitmq"] = services.RabbitMqConnectionString;
        start.Environment["Gateway__OperatorKey"] = operatorKey;
        foreach (var (name, value) in settings) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var gateway = new GatewayProcess(process, url);
        process.OutputDataReceived += (_, e) => gateway.Append(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var alive = await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"{url}/alive")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, ok => ok || process.HasExited, TimeSpan.FromSeconds(60));
        if (!alive)
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException($"The Gateway process did not come up:{Environment.NewLine}{gateway.Output}");
        }
        return gateway;
    }

    /// <summary>SIGKILL: no shutdown code runs, so nothing is released.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
