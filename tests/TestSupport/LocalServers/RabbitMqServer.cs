using System.Net.Sockets;
using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>
/// RabbitMQ from the machine's binaries, isolated from any system instance: its own node name, AMQP and distribution
/// ports, data, log and config files, Erlang cookie (HOME), and its own epmd on its own port, run as a child process
/// so nothing is left behind when we stop.
/// </summary>
public sealed class RabbitMqServer : LocalServer
{
    private readonly string _directory;
    private readonly int _distributionPort = FreePorts.Next();
    private readonly int _epmdPort = FreePorts.Next();

    public RabbitMqServer(string stateDirectory, int port, ILogSink sink) : base("rabbitmq", sink)
    {
        _directory = Path.Combine(stateDirectory, "rabbitmq");
        Port = port;
        NodeName = $"voiceplatform-{port}@localhost";
    }

    public int Port { get; }

    public string NodeName { get; }

    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{Port}/";

    public override TimeSpan StartTimeout => TimeSpan.FromSeconds(120);

    protected override TimeSpan StopGracePeriod => TimeSpan.FromSeconds(20);

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            log.console = true
            log.console.level = warning
            log.file = false
            """, cancellationToken);
        // No plugins: no management UI port to collide with another instance.
        await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), "[].", cancellationToken);
    }

    protected override IEnumerable<ProcessSpec> ProcessSpecs()
    {
        var epmd = BinaryLocator.Find("epmd", "erlang-base", "/usr/lib/erlang/bin", "/usr/bin");
        var server = BinaryLocator.Find("rabbitmq-server", "rabbitmq-server", "/usr/lib/rabbitmq/bin", "/usr/sbin");
        var erlangEnvironment = new Dictionary<string, string?>
        {
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };
        yield return new ProcessSpec("rabbitmq-epmd", epmd, ["-port", _epmdPort.ToString(), "-address", "127.0.0.1"])
        {
            Environment = erlangEnvironment,
        };
        yield return new ProcessSpec(Name, server, [])
        {
            WorkingDirectory = _directory,
            Environment = new Dictionary<string, string?>(erlangEnvironment)
            {
                ["HOME"] = _directory, // the Erlang cookie lives here, not in root's home
                ["RABBITMQ_NODENAME"] = NodeName,
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = Port.ToString(),
                ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq.conf"),
                ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_directory, "advanced.config"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
                ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf"),
                ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbitmq.pid"),
                ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false",
                // Makes the start script exec the Erlang VM instead of proxying it, so the VM is our direct child
                // (dies with us, gets our SIGTERM for a graceful stop).
                ["RUNNING_UNDER_SYSTEMD"] = "true",
            },
        };
    }

    protected override async Task AfterProcessStartedAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Name != "rabbitmq-epmd") return;
        // RabbitMQ must find its epmd listening, or Erlang distribution fails to start.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _epmdPort, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"epmd did not listen on port {_epmdPort}");
    }

    /// <summary>
    /// Stops the broker application inside the running node (<c>rabbitmqctl stop_app</c>): AMQP connections are dropped
    /// and new ones refused, while the node keeps its durable queues and persistent messages. Tests use it as a broker
    /// outage; <see cref="StartBrokerAsync"/> ends it.
    /// </summary>
    public Task StopBrokerAsync(CancellationToken cancellationToken) => RunControlAsync("stop_app", cancellationToken);

    public Task StartBrokerAsync(CancellationToken cancellationToken) => RunControlAsync("start_app", cancellationToken);

    /// <summary>Every queue's name and type (<c>classic</c>, <c>quorum</c>, <c>stream</c>): <c>rabbitmqctl list_queues name type</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> QueueTypesAsync(CancellationToken cancellationToken)
    {
        var listing = await RunControlAsync("list_queues", cancellationToken, "name", "type", "--no-table-headers", "--quiet");
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(columns => columns.Length == 2)
            .ToDictionary(columns => columns[0], columns => columns[1], StringComparer.Ordinal);
    }

    private async Task<string> RunControlAsync(string command, CancellationToken cancellationToken, params string[] arguments)
    {
        var control = BinaryLocator.Find("rabbitmqctl", "rabbitmq-server", "/usr/lib/rabbitmq/bin", "/usr/sbin");
        var start = new System.Diagnostics.ProcessStartInfo(control, ["-n", NodeName, command, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _directory; // the node's Erlang cookie
        start.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString();
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_directory, "rabbitmq-env.conf");
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"{control} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {command} failed ({process.ExitCode}): {await output}{await error}");
        return await output;
    }

    /// <summary>Healthy when the broker answers an AMQP 0-9-1 protocol header with connection.start.</summary>
    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
        var buffer = new byte[7];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) return false;
            read += n;
        }
        // Frame type 1 (method) on channel 0: the server's connection.start.
        return buffer[0] == 1 && buffer[1] == 0 && buffer[2] == 0;
    }
}
