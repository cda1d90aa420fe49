using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Events.Quality;
using VoicePlatform.ServiceDefaults.Integrations.Messaging;
using VoicePlatform.TestSupport.Billing;

namespace VoicePlatform.Console.Tests.Performance;

/// <summary>
/// Many sessions, honestly: the events the Router and Gateway publish for a real session (SessionStarted, UsageRecorded,
/// SessionEnded; the Gateway's SessionMeasured for its connection), published in bulk on the platform's RabbitMQ, so Transcripts, Insights and Billing store them with
/// their own consumers exactly as they store live ones.
/// </summary>
public static class SessionSeeder
{
    public static async Task PublishAsync(string rabbitMq, Guid tenantId, int count, DateTimeOffset now)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:rabbitmq"] = rabbitMq;
        builder.AddMessageBus();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBusControl>();
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            var span = TimeSpan.FromHours(23);
            foreach (var chunk in Enumerable.Range(0, count).Chunk(250))
            {
                await Task.WhenAll(chunk.SelectMany(i =>
                {
                    var id = $"sess_seed{tenantId:N}{i:D5}";
                    var model = i % 3 == 0 ? "gemini-3.1-flash-live" : "gpt-realtime-2";
                    var provider = model.StartsWith("gemini", StringComparison.Ordinal) ? "google" : "openai";
                    var started = now - span + span * i / count;
                    var duration = TimeSpan.FromSeconds(30 + i % 90);
                    return new Task[]
                    {
                        bus.Publish(new SessionStarted(Guid.NewGuid(), tenantId, id, model, provider, null, "openai-realtime", started)),
                        bus.Publish(UsageEvents.UsageEvent(tenantId, id, model, started + duration, inputAudio: 400, outputAudio: 800,
                            connectionMs: (long)duration.TotalMilliseconds)),
                        bus.Publish(new SessionMeasured(Guid.NewGuid(), tenantId, id, "conn_1", new QualityDimensions(model, provider, null, null, null),
                            started, (long)duration.TotalMilliseconds, Turns: 4, AudioInMs: 20_000, AudioOutMs: 15_000, Interruptions: i % 4 == 0 ? 1 : 0,
                            FalseInterruptions: 0, ResponsesCancelled: 0, InputFramesDropped: 0, ClientMessagesRejected: 0,
                            EndReason: i % 50 == 0 ? "provider_error" : "client_closed")),
                        bus.Publish(new SessionEnded(Guid.NewGuid(), tenantId, id, started + duration, (long)duration.TotalMilliseconds,
                            i % 50 == 0 ? "provider_error" : "client_closed")),
                    };
                }));
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
