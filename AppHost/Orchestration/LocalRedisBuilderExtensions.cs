using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VoicePlatform.AppHost.Orchestration.Health;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

public static class LocalRedisBuilderExtensions
{
    /// <summary>redis-server on a free loopback port, healthy when it answers PING.</summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, string stateDirectory)
    {
        var binary = BinaryLocator.Find("redis-server", "redis-server", "/usr/bin", "/usr/sbin");
        var directory = Path.Combine(stateDirectory, "redis");
        Directory.CreateDirectory(directory);
        var port = FreePorts.Next();
        return builder.AddResource(new LocalRedisResource(name, binary, directory, port))
            .WithArgs("--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--logfile", "", "--protected-mode", "yes")
            .WithFixedEndpoint("tcp", "tcp", port)
            .WithPromptHealthCheck($"{name}-ping", new RedisPingHealthCheck(port))
            .WithIconName("Memory");
    }
}
