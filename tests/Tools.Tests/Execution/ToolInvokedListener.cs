using System.Collections.Concurrent;
using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Tools.Tests.Execution;

/// <summary>A separate bus on the test RabbitMQ with its own auto-deleted queue bound to <see cref="ToolInvoked"/>.</summary>
public sealed class ToolInvokedListener : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<ToolInvoked> _received = new();

    private ToolInvokedListener(string rabbitMqConnectionString)
    {
        var uri = new Uri(rabbitMqConnectionString);
        var userInfo = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var virtualHost = uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(uri.Host, (ushort)uri.Port, virtualHost, host =>
            {
                if (userInfo.Length == 2)
                {
                    host.Username(userInfo[0]);
                    host.Password(userInfo[1]);
                }
            });
            rabbit.ReceiveEndpoint($"tools-tests-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<ToolInvoked>(context =>
                {
                    _received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
    }

    public static async Task<ToolInvokedListener> StartAsync()
    {
        var services = await BackingServices.GetAsync();
        var listener = new ToolInvokedListener(services.RabbitMqConnectionString);
        await listener._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return listener;
    }

    public async Task<ToolInvoked> WaitForCallAsync(string callId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_received.FirstOrDefault(e => e.CallId == callId) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No ToolInvoked for call {callId} within {timeout}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
