using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoicePlatform.Router.Events;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>
/// A real MassTransit bus on the test RabbitMQ with a consumer collecting the session events, plus the spool and
/// forwarders under test on the test Redis, each test on its own stream key.
/// </summary>
public sealed class EventBusHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly List<BackgroundService> _started = [];

    private EventBusHarness(IHost host, ConnectionMultiplexer redis, EventSpoolOptions options)
    {
        _host = host;
        Redis = redis;
        Options = options;
    }

    public ConnectionMultiplexer Redis { get; }
    public EventSpoolOptions Options { get; }
    public IBus Bus => _host.Services.GetRequiredService<IBus>();
    public PublishedEvents Published => _host.Services.GetRequiredService<PublishedEvents>();
    public EventSpoolMetrics Metrics => _host.Services.GetRequiredService<EventSpoolMetrics>();

    public static async Task<EventBusHarness> StartAsync(TimeSpan? claimIdle = null)
    {
        var services = await BackingServices.GetAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<PublishedEvents>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<EventSpoolMetrics>();
        var queue = $"router-tests-events-{Guid.NewGuid():N}";
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<PublishedEventsConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(services.RabbitMqConnectionString));
                rabbit.ReceiveEndpoint(queue, endpoint =>
                {
                    endpoint.AutoDelete = true;
                    endpoint.Durable = false;
                    // One at a time: the tests observe the queue's order (the spool's publish order), not handler races.
                    endpoint.PrefetchCount = 1;
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.ConfigureConsumer<PublishedEventsConsumer>(context);
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        var redis = await ConnectionMultiplexer.ConnectAsync(services.RedisConnectionString);
        return new EventBusHarness(host, redis, new EventSpoolOptions
        {
            StreamKey = $"router:events:test:{Guid.NewGuid():N}",
            ClaimIdleTime = claimIdle ?? TimeSpan.FromSeconds(30),
            RetryDelay = TimeSpan.FromMilliseconds(200),
        });
    }

    public EventSpool Spool(IConnectionMultiplexer? redis = null) =>
        Start(new EventSpool(redis ?? Redis, Bus, Microsoft.Extensions.Options.Options.Create(Options), Metrics, NullLogger<EventSpool>.Instance));

    public SpoolForwarder Forwarder(EventSpool spool, string consumer) =>
        Start(new SpoolForwarder(Redis, Bus, spool, Microsoft.Extensions.Options.Options.Create(Options), Metrics,
            NullLogger<SpoolForwarder>.Instance, consumer));

    public async Task<long> SpoolLengthAsync() => await Redis.GetDatabase().StreamLengthAsync(Options.StreamKey);

    private T Start<T>(T service) where T : BackgroundService
    {
        _started.Add(service);
        service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return service;
    }

    public async Task StopAsync(BackgroundService service)
    {
        await service.StopAsync(CancellationToken.None);
        _started.Remove(service);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_started)) await service.StopAsync(CancellationToken.None);
        await Redis.GetDatabase().KeyDeleteAsync(Options.StreamKey);
        await Redis.DisposeAsync();
        await _host.StopAsync();
        _host.Dispose();
    }
}
