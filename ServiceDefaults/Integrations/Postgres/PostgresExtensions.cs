using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VoicePlatform.ServiceDefaults.Health;

namespace VoicePlatform.ServiceDefaults.Integrations.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers the service's own database (connection string <c>ConnectionStrings:{connectionName}</c>, Aspire's name),
    /// its readiness check, and the migration runner that creates and upgrades the schema at start-up from the
    /// embedded <c>*.sql</c> resources of <paramref name="migrationsAssembly"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPostgresDatabase(
        this IHostApplicationBuilder builder, string connectionName, Assembly migrationsAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is not configured (ConnectionStrings__{connectionName}).");

        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton(new SchemaMigrator(connectionString, migrationsAssembly));
        // A hosted service that runs before the server starts listening, so the service is never ready on an old schema.
        builder.Services.AddHostedService<SchemaMigrationHostedService>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>($"postgres-{connectionName}", tags: [HealthTags.Ready]);
        return builder;
    }
}
