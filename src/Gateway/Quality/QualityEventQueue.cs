using System.Threading.Channels;
using Npgsql;
using VoicePlatform.Gateway.Outbox;

namespace VoicePlatform.Gateway.Quality;

/// <summary>
/// Takes quality events off the session's path and writes them to the Gateway's outbox in batches (one transaction
/// per batch), from where <see cref="OutboxDispatcher"/> publishes them: at-least-once, with ids consumers deduplicate.
/// While PostgreSQL is unavailable the batch is retried and new events wait in a bounded queue; only when that queue
/// is full are events dropped (counted in <c>voiceplatform.quality.events.dropped</c> and logged).
/// </summary>
public sealed class QualityEventQueue(NpgsqlDataSource dataSource, QualityMetrics metrics, TimeProvider clock, ILogger<QualityEventQueue> logger)
    : BackgroundService, IQualityEventSink
{
    private const int Capacity = 20_000;
    private const int BatchSize = 200;
    private readonly Channel<object> _pending = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private long _dropped;

    public void Publish(object qualityEvent)
    {
        if (_pending.Writer.TryWrite(qualityEvent)) return;
        metrics.Dropped();
        if (Interlocked.Increment(ref _dropped) % 1000 == 1)
            logger.LogWarning("The quality event queue is full ({Capacity}); dropped {Type} (dropped so far: {Dropped})",
                Capacity, qualityEvent.GetType().Name, Interlocked.Read(ref _dropped));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>(BatchSize);
        var failures = 0;
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _pending.Reader.TryRead(out var next)) batch.Add(next);
                if (await TryWriteAsync(batch, stoppingToken))
                {
                    batch.Clear();
                    failures = 0;
                    continue;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * ++failures, 5_000)), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is queued gets one last chance below.
        }
        while (_pending.Reader.TryRead(out var rest)) batch.Add(rest);
        if (batch.Count > 0 && !await TryWriteAsync(batch, CancellationToken.None))
            logger.LogWarning("Shutting down with {Count} quality events not written to the outbox", batch.Count);
    }

    private async Task<bool> TryWriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var item in batch) await OutboxWriter.AddAsync(connection, transaction, item, item.GetType(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Writing {Count} quality events to the outbox failed ({Error}); retrying", batch.Count, e.Message);
            return false;
        }
    }

    public override void Dispose()
    {
        _pending.Writer.TryComplete();
        base.Dispose();
    }
}
