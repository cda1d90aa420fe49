using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Gateway.Outbox;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// Announces a stored recording (<see cref="RecordingStored"/>) through the Gateway's transactional outbox, so a
/// RabbitMQ outage delays the metadata but never loses it. The outbox row itself is retried while PostgreSQL is
/// unreachable; Transcripts deduplicates by key, so announcing the same recording twice is harmless.
/// </summary>
public sealed class RecordingStoredPublisher(NpgsqlDataSource dataSource, ILogger<RecordingStoredPublisher> logger)
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    public async Task PublishAsync(Guid tenantId, string sessionId, RecordingResult recording, CancellationToken cancellationToken)
    {
        var stored = new RecordingStored(Guid.NewGuid(), tenantId, sessionId, recording.Key, recording.SizeBytes,
            (long)recording.Duration.TotalMilliseconds, recording.Sha256, recording.SampleRate, recording.Channels, DateTimeOffset.UtcNow,
            recording.StartedAt);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await OutboxWriter.AddAsync(connection, transaction, stored, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && attempt < Backoff.Length)
            {
                logger.LogWarning("Recording {Key} could not be announced yet ({Error}); retrying", recording.Key, e.Message);
                await Task.Delay(Backoff[attempt], cancellationToken);
            }
        }
    }
}
