using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Processes;
using Xunit;

namespace VoicePlatform.TestSupport;

/// <summary>
/// The whole platform, booted exactly as AppHost boots it (same <see cref="PlatformRunner"/>), on free ports with a
/// throwaway state directory. Logs go to <see cref="LogPath"/>, which failing tests print.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    private FileLogSink? _sink;

    public string StateDirectory { get; } = TestDirectories.Create("platform");

    public string LogPath => Path.Combine(StateDirectory, "platform.log");

    public PlatformRunner Runner { get; private set; } = null!;

    public PlatformEndpoints Endpoints => Runner.Endpoints ?? throw new InvalidOperationException("Platform not started");

    /// <summary>Extra configuration for every .NET child (e.g. compressed emulator limits).</summary>
    protected virtual Dictionary<string, string?> Environment => new();

    /// <summary>How many Gateway instances the platform runs (the others are <c>gateway-2</c>… in the endpoints' services).</summary>
    protected virtual int GatewayReplicas => 1;

    public async Task InitializeAsync()
    {
        _sink = new FileLogSink(LogPath);
        Runner = CreateRunner();
        try
        {
            await Runner.StartAsync(new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);
        }
        catch (Exception ex)
        {
            await Runner.StopAsync();
            throw new InvalidOperationException($"Platform failed to start: {ex.Message}{System.Environment.NewLine}{TailOfLog()}", ex);
        }
    }

    /// <summary>A runner on the same state directory (to test restarts); the caller starts and stops it.</summary>
    public PlatformRunner CreateRunner() => new(new PlatformOptions
    {
        RepositoryRoot = PlatformOptions.FindRepositoryRoot(),
        StateDirectory = StateDirectory,
        GatewayPort = 0,
        GatewayTlsPort = 0,
        GatewayReplicas = GatewayReplicas,
        Sink = _sink!,
        Environment = Environment,
    });

    /// <summary>The Gateway's realtime endpoint for <paramref name="model"/>.</summary>
    public Uri RealtimeUri(string model) =>
        new($"{Endpoints.Gateway.Replace("http://", "ws://")}/v1/realtime?model={Uri.EscapeDataString(model)}");

    /// <summary>The process id of a platform resource (e.g. <c>router-1</c>), to signal or kill it.</summary>
    public int ProcessId(string resource) => Runner.Resources.Single(r => r.Name == resource).ProcessIds.First();

    public string TailOfLog(int lines = 80) =>
        File.Exists(LogPath) ? string.Join(System.Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines)) : "(no log)";

    public async Task DisposeAsync()
    {
        await Runner.StopAsync();
        _sink?.Dispose();
        // VOICEPLATFORM_KEEP_TEST_STATE=1 keeps the state directory (platform.log) for debugging.
        if (System.Environment.GetEnvironmentVariable("VOICEPLATFORM_KEEP_TEST_STATE") != "1")
            TestDirectories.TryDelete(StateDirectory);
    }
}
