using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using VoicePlatform.ServiceDefaults.Health;

namespace VoicePlatform.ServiceDefaults.Integrations.Redis;

public static class RedisExtensions
{
    /// <summary>Registers a shared <see cref="IConnectionMultiplexer"/> from <c>ConnectionStrings:{connectionName}</c> and its readiness check.</summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is not configured (ConnectionStrings__{connectionName}).");
        var options = ConfigurationOptions.Parse(connectionString);
        // Keep retrying in the background instead of failing start-up when Redis comes up after us.
        options.AbortOnConnectFail = false;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, tags: [HealthTags.Ready]);
        return builder;
    }
}
