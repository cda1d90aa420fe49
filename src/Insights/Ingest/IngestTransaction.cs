using Npgsql;

namespace VoicePlatform.Insights.Ingest;

/// <summary>One event's writes: a connection with an open transaction, committed only when the event was new.</summary>
public sealed class IngestTransaction : IAsyncDisposable
{
    private IngestTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }
    public NpgsqlTransaction Transaction { get; }

    public static async Task<IngestTransaction> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new IngestTransaction(connection, await connection.BeginTransactionAsync(cancellationToken));
    }

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    /// <summary>Disposing without a commit rolls back (a duplicate event, another tenant's session, a failure).</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
