using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VoicePlatform.Bench.BackingLoadBenchmark;

/// <summary>
/// RabbitMQ's own message counters (<c>rabbit_global_counters</c>, the numbers the Prometheus plugin exports as
/// <c>rabbitmq_global_messages_*_total</c>), read with <c>rabbitmqctl eval</c>: AppHost's broker runs without plugins, so
/// there is no management API. The node name, Erlang cookie (HOME) and epmd port are the broker process's own,
/// found by its working directory under AppHost's state directory.
/// </summary>
public sealed partial class RabbitMqCounters
{
    private readonly string _nodeName;
    private readonly string _home;
    private readonly string _epmdPort;

    private RabbitMqCounters(string nodeName, string home, string epmdPort)
    {
        _nodeName = nodeName;
        _home = home;
        _epmdPort = epmdPort;
    }

    public static RabbitMqCounters Find(string stateDirectory)
    {
        var directory = Path.Combine(stateDirectory, "rabbitmq");
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (new DirectoryInfo(Path.Combine(process, "cwd")).LinkTarget?.TrimEnd('/') != directory) continue;
                var environment = File.ReadAllText(Path.Combine(process, "environ")).Split('\0')
                    .Select(v => v.Split('=', 2)).Where(v => v.Length == 2).ToDictionary(v => v[0], v => v[1]);
                if (environment.TryGetValue("RABBITMQ_NODENAME", out var node) && environment.TryGetValue("ERL_EPMD_PORT", out var epmd))
                    return new RabbitMqCounters(node, environment.GetValueOrDefault("HOME", directory), epmd);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        throw new InvalidOperationException($"no RabbitMQ broker process runs in {directory}");
    }

    /// <summary>Messages received from publishers, routed to queues, delivered to consumers and acknowledged (AMQP 0-9-1).</summary>
    public async Task<(long Received, long Routed, long Delivered, long Acknowledged)> ReadAsync()
    {
        // Every counter of every label set: published and routed are counted per protocol, delivered and acknowledged per
        // protocol and queue type (classic, quorum, stream), so each name is summed over the label sets that have it.
        const string expression = "[io:format(\"~p ~p~n\", [C, V]) || {_, M} <- maps:to_list(rabbit_global_counters:overview()), {C, V} <- maps:to_list(M)], ok.";
        // The package's own script, not Debian's /usr/sbin wrapper (which switches to the rabbitmq user and its cookie).
        var control = File.Exists("/usr/lib/rabbitmq/bin/rabbitmqctl") ? "/usr/lib/rabbitmq/bin/rabbitmqctl" : "rabbitmqctl";
        var start = new ProcessStartInfo(control, ["-n", _nodeName, "eval", expression])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = _home;
        start.Environment["ERL_EPMD_PORT"] = _epmdPort;
        start.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(_home, "rabbitmq-env.conf");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl eval failed ({process.ExitCode}): {output}{error}");
        var counters = Counter().Matches(output).GroupBy(m => m.Groups[1].Value)
            .ToDictionary(g => g.Key, g => g.Sum(m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        long Get(string name) => counters.TryGetValue(name, out var value) ? value
            : throw new InvalidOperationException($"rabbit_global_counters has no {name}: {output}");
        return (Get("messages_received_total"), Get("messages_routed_total"), Get("messages_delivered_total"), Get("messages_acknowledged_total"));
    }

    [GeneratedRegex(@"^(\w+) (\d+)$", RegexOptions.Multiline)]
    private static partial Regex Counter();
}
