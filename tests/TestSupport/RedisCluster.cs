using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using VoicePlatform.TestSupport.LocalServers;

namespace VoicePlatform.TestSupport;

/// <summary>
/// A real three-master Redis Cluster from the machine's <c>redis-server</c> (cluster mode, no persistence, loopback),
/// created with <c>redis-cli --cluster create</c>, for checking that what we run on Redis works when production runs
/// a cluster: every key a script or a multi-key command touches must hash to one slot. The nodes die with the test
/// process (<see cref="ProcessLauncher"/>).
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private const int Nodes = 3;
    private readonly List<Process> _processes = [];
    private readonly string _directory = TestDirectories.Create("redis-cluster");

    private RedisCluster(IReadOnlyList<int> ports) => Ports = ports;

    public IReadOnlyList<int> Ports { get; }

    /// <summary>Every node, as StackExchange.Redis takes them; it discovers the slot map itself.</summary>
    public string ConnectionString => string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"));

    public static async Task<RedisCluster> StartAsync()
    {
        var cluster = new RedisCluster(ClusterPorts());
        try
        {
            foreach (var port in cluster.Ports) cluster.StartNode(port);
            foreach (var port in cluster.Ports) await WaitForPingAsync(port);
            await RunAsync("redis-cli", ["--cluster", "create", .. cluster.Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
            await WaitForClusterOkAsync(cluster.Ports);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString);

    private void StartNode(int port)
    {
        var directory = Path.Combine(_directory, port.ToString());
        Directory.CreateDirectory(directory);
        var (file, arguments) = ProcessLauncher.Wrap("redis-server",
        [
            "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
            "--daemonize", "no", "--logfile", "redis.log",
        ], runAs: null);
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info };
        ProcessLauncher.Start(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    /// <summary>Three free ports whose cluster-bus ports (port + 10000) are free too.</summary>
    private static List<int> ClusterPorts()
    {
        var ports = new List<int>();
        while (ports.Count < Nodes)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (port + 10000 <= 65535 && IsFree(port + 10000) && !ports.Contains(port)) ports.Add(port);
        }
        return ports;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitForPingAsync(int port)
    {
        var output = await Poll.UntilAsync(() => TryRunAsync("redis-cli", ["-p", port.ToString(), "PING"]), o => o.Contains("PONG"), TimeSpan.FromSeconds(20));
        if (!output.Contains("PONG")) throw new InvalidOperationException($"Redis cluster node on {port} did not answer PING: {output}");
    }

    private static async Task WaitForClusterOkAsync(IReadOnlyList<int> ports)
    {
        foreach (var port in ports)
        {
            var info = await Poll.UntilAsync(() => TryRunAsync("redis-cli", ["-p", port.ToString(), "CLUSTER", "INFO"]),
                o => o.Contains("cluster_state:ok"), TimeSpan.FromSeconds(30));
            if (!info.Contains("cluster_state:ok")) throw new InvalidOperationException($"Redis cluster not ok on {port}: {info}");
        }
    }

    private static async Task<string> TryRunAsync(string file, IEnumerable<string> arguments)
    {
        try
        {
            return await RunAsync(file, arguments);
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var text = await output + await error;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {text}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
            }
            process.Dispose();
        }
        TestDirectories.TryDelete(_directory);
    }
}
