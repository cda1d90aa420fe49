using System.Net.Sockets;
using System.Text;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>Redis from the machine's binary, loopback only, no persistence (it holds live session state, not records).</summary>
public sealed class RedisServer : LocalServer
{
    private readonly string _directory;

    public RedisServer(string stateDirectory, int port, ILogSink sink) : base("redis", sink)
    {
        _directory = Path.Combine(stateDirectory, "redis");
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    protected override IEnumerable<ProcessSpec> ProcessSpecs()
    {
        var redis = BinaryLocator.Find("redis-server", "redis-server", "/usr/bin", "/usr/sbin");
        yield return new ProcessSpec(Name, redis,
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _directory, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", "", "--protected-mode", "yes",
        ]);
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
