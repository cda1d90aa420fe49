using Npgsql;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Gateway.Outbox;

namespace VoicePlatform.Gateway.Tenants;

/// <summary>Tenants in the Gateway's own database.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    public async Task<Tenant> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var tenant = new Tenant(Guid.NewGuid(), name, DateTimeOffset.UtcNow);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("INSERT INTO tenants (id, name, created_at) VALUES (@id, @name, @created)", connection, transaction))
        {
            command.Parameters.AddWithValue("id", tenant.Id);
            command.Parameters.AddWithValue("name", tenant.Name);
            command.Parameters.AddWithValue("created", tenant.CreatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await OutboxWriter.AddAsync(connection, transaction,
            new TenantCreated(Guid.NewGuid(), tenant.Id, tenant.Name, tenant.CreatedAt), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }

    public async Task<Tenant?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, created_at FROM tenants WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken cancellationToken)
    {
        var tenants = new List<Tenant>();
        await using var command = dataSource.CreateCommand("SELECT id, name, created_at FROM tenants ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(Read(reader));
        return tenants;
    }

    private static Tenant Read(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
}
