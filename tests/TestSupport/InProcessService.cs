using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace VoicePlatform.TestSupport;

/// <summary>
/// One of our services in the test process, running its real Program.cs (<see cref="WebApplicationFactory{TEntryPoint}"/>:
/// any public type of the service's assembly locates the entry point) against the shared <see cref="BackingServices"/>,
/// with its own fresh database when it owns one, and a gRPC channel to its API.
/// </summary>
public sealed class InProcessService<TMarker> : IAsyncDisposable where TMarker : class
{
    private InProcessService(WebApplicationFactory<TMarker> factory, string? databaseConnectionString)
    {
        Factory = factory;
        DatabaseConnectionString = databaseConnectionString;
        Channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = factory.Server.CreateHandler() });
    }

    public WebApplicationFactory<TMarker> Factory { get; }

    /// <summary>The service's own database (created by the service at start-up), or null if it owns none.</summary>
    public string? DatabaseConnectionString { get; }

    public GrpcChannel Channel { get; }

    /// <param name="database">The database the service owns ("tools" → <c>ConnectionStrings:postgres-tools</c>), or null.</param>
    /// <param name="databaseConnectionString">An existing database to use instead of a fresh one (replicas sharing one).</param>
    /// <param name="configure">Further settings for this instance.</param>
    public static async Task<InProcessService<TMarker>> StartAsync(
        string? database = null, string? databaseConnectionString = null, Action<IWebHostBuilder>? configure = null)
    {
        var services = await BackingServices.GetAsync();
        if (database is not null) databaseConnectionString ??= services.NewDatabaseConnectionString(database);
        var factory = new WebApplicationFactory<TMarker>().WithWebHostBuilder(web =>
        {
            if (database is not null) web.UseSetting($"ConnectionStrings:postgres-{database}", databaseConnectionString);
            web.UseSetting("ConnectionStrings:redis", services.RedisConnectionString);
            web.UseSetting("ConnectionStrings:rabbitmq", services.RabbitMqConnectionString);
            configure?.Invoke(web);
        });
        // Touching Server starts the host, which runs the schema migration before it serves.
        return new InProcessService<TMarker>(factory, database is null ? null : databaseConnectionString);
    }

    /// <summary>
    /// Waits until /health is 200. MassTransit starts the bus in the background; until its receive endpoints are bound
    /// a published event has no queue to land in, and /health includes the bus's readiness check.
    /// </summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = Factory.CreateClient();
        var health = await Poll.UntilAsync(() => http.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, timeout);
        if (health.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{typeof(TMarker).Assembly.GetName().Name} never became ready: {await health.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Factory.DisposeAsync();
    }
}
