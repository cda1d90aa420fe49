using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Instances;

namespace VoicePlatform.Router.Events;

public static class SessionEventsServiceCollectionExtensions
{
    /// <summary>Session events: the recorder factory, the Redis spool and its forwarder to the bus (needs AddRedis and AddMessageBus).</summary>
    public static IServiceCollection AddSessionEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EventSpoolOptions>(configuration.GetSection(EventSpoolOptions.Section));
        services.AddSingleton<EventSpoolMetrics>();
        services.AddSingleton<EventSpool>();
        services.AddHostedService(sp => sp.GetRequiredService<EventSpool>());
        services.AddHostedService(sp => new SpoolForwarder(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<MassTransit.IBus>(), sp.GetRequiredService<EventSpool>(),
            sp.GetRequiredService<IOptions<EventSpoolOptions>>(), sp.GetRequiredService<EventSpoolMetrics>(),
            sp.GetRequiredService<ILogger<SpoolForwarder>>(), sp.GetRequiredService<RouterInstance>().Id));
        services.AddSingleton<SessionEvents>();
        return services;
    }
}
