using System.Threading.Channels;
using MassTransit;
using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Tools.Execution;

/// <summary>
/// Publishes <see cref="ToolInvoked"/> events off the call path: a tool result must reach the model without waiting
/// on RabbitMQ. Events queue in memory (bounded; a full queue drops and logs), each is retried for a while, and the
/// queue is drained on shutdown.
/// </summary>
public sealed class ToolInvokedPublisher(IBus bus, ILogger<ToolInvokedPublisher> logger) : BackgroundService
{
    private const int Capacity = 10_000;
    private const int PublishAttempts = 5;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<ToolInvoked> _pending = Channel.CreateBounded<ToolInvoked>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    public void Enqueue(ToolInvoked invoked)
    {
        if (!_pending.Writer.TryWrite(invoked))
            logger.LogWarning("ToolInvoked queue is full; dropped event {EventId} for call {CallId}", invoked.EventId, invoked.CallId);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not stoppingToken: on shutdown the writer is completed and what is queued is still published.
        await foreach (var invoked in _pending.Reader.ReadAllAsync(CancellationToken.None))
        {
            await PublishAsync(invoked, stoppingToken);
        }
    }

    private async Task PublishAsync(ToolInvoked invoked, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var timeout = new CancellationTokenSource(PublishTimeout);
                await bus.Publish(invoked, timeout.Token);
                return;
            }
            catch (Exception ex) when (attempt < PublishAttempts && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Publishing ToolInvoked {EventId} failed (attempt {Attempt}); retrying", invoked.EventId, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Giving up publishing ToolInvoked {EventId} for call {CallId}", invoked.EventId, invoked.CallId);
                return;
            }
        }
    }
}
