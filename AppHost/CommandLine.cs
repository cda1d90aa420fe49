namespace VoicePlatform.AppHost;

/// <summary>
/// AppHost's options: <c>--gateway-port N</c>, <c>--gateway-tls-port N</c>, <c>--router-replicas N</c>,
/// <c>--gateway-replicas N</c>, <c>--reset</c>, <c>--state-dir PATH</c>.
/// </summary>
public sealed record CommandLine(int GatewayPort, int GatewayTlsPort, bool Reset, string? StateDirectory, int RouterReplicas = 2, int GatewayReplicas = 1)
{
    public const string Usage = "usage: dotnet run --project AppHost [-- --gateway-port 5080] [--gateway-tls-port 5443] [--router-replicas 2] [--gateway-replicas 1] [--reset] [--state-dir .apphost]";

    public static CommandLine Parse(string[] args)
    {
        var result = new CommandLine(5080, 5443, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            result = args[i] switch
            {
                "--gateway-port" => result with { GatewayPort = Port(args, ++i) },
                "--gateway-tls-port" => result with { GatewayTlsPort = Port(args, ++i) },
                "--router-replicas" => result with { RouterReplicas = Count(args, ++i) },
                "--gateway-replicas" => result with { GatewayReplicas = Count(args, ++i) },
                "--reset" => result with { Reset = true },
                "--state-dir" => result with { StateDirectory = Value(args, ++i) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}"),
            };
        }
        return result;
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"'{args[i - 1]}' needs a value. {Usage}");

    private static int Count(string[] args, int i) =>
        int.TryParse(Value(args, i), out var count) && count is >= 1 and <= 16
            ? count : throw new ArgumentException($"'{args[i - 1]}' needs a number from 1 to 16. {Usage}");

    private static int Port(string[] args, int i) =>
        int.TryParse(Value(args, i), out var port) && port is >= 0 and <= 65535
            ? port : throw new ArgumentException($"'{args[i - 1]}' needs a port number. {Usage}");
}
