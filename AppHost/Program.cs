using System.Runtime.InteropServices;
using VoicePlatform.AppHost;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

CommandLine options;
try { options = CommandLine.Parse(args); }
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var root = PlatformOptions.FindRepositoryRoot();
var stateDirectory = Path.GetFullPath(options.StateDirectory ?? Path.Combine(root, ".apphost"));
if (options.Reset && Directory.Exists(stateDirectory))
{
    Console.WriteLine($"--reset: removing {stateDirectory}");
    Directory.Delete(stateDirectory, recursive: true);
}

foreach (var port in new[] { options.GatewayPort, options.GatewayTlsPort }.Where(p => p != 0))
{
    if (!FreePorts.IsFree(port))
    {
        Console.Error.WriteLine($"Port {port} is already in use (another AppHost?). Choose another with --gateway-port / --gateway-tls-port.");
        return 1;
    }
}

var sink = new ConsoleLogSink();
await using var runner = new PlatformRunner(new PlatformOptions
{
    RepositoryRoot = root,
    StateDirectory = stateDirectory,
    GatewayPort = options.GatewayPort,
    GatewayTlsPort = options.GatewayTlsPort,
    RouterReplicas = options.RouterReplicas,
    GatewayReplicas = options.GatewayReplicas,
    Sink = sink,
});

// Ctrl-C (SIGINT) and SIGTERM: stop the children ourselves, in reverse dependency order, then exit.
using var stopping = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
runner.ResourceFailed += resource => sink.Line("apphost", $"{resource.Name} has FAILED; the rest keeps running", isError: true);

var exitCode = 0;
try
{
    var endpoints = await runner.StartAsync(stopping.Token);
    ResourceTable.Print(runner, endpoints);
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
}
catch (MissingPrerequisiteException ex)
{
    sink.Line("apphost", ex.Message, isError: true);
    exitCode = 1;
}
catch (Exception ex)
{
    sink.Line("apphost", $"start-up failed: {ex.Message}", isError: true);
    exitCode = 1;
}

sink.Line("apphost", "stopping everything");
await runner.StopAsync();
sink.Line("apphost", "stopped");
return exitCode;
