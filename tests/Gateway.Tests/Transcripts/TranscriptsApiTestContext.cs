extern alias TranscriptsService;

using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Transcripts;
using TranscriptsService::VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Gateway.Tests.Transcripts;

/// <summary>
/// The real Gateway and the real Transcripts service, both in-process on their own databases; the Transcripts service
/// consumes from the test run's RabbitMQ, so tests record sessions by publishing the Router's events on the bus.
/// The Gateway finds Transcripts by service discovery (<c>services:transcripts:grpc:0</c>) as in production. Both share
/// one recording directory, as under AppHost. One instance for every class that needs it
/// (<see cref="TranscriptsServiceCollection"/>): two Transcripts services would compete for the same queues.
/// </summary>
public sealed class TranscriptsApiTestContext : IAsyncLifetime
{
    private GatewayWithService<SessionStore>? _platform;

    public string RecordingsDirectory { get; } = Path.Combine(Path.GetTempPath(), $"vp-recordings-{Guid.NewGuid():N}");

    private GatewayWithService<SessionStore> Platform => _platform ?? throw new InvalidOperationException("not initialised");

    public WebApplicationFactory<Program> Gateway => Platform.Gateway;

    public IBus Bus => Platform.Service.Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(RecordingsDirectory);
        _platform = await GatewayWithService<SessionStore>.StartAsync("transcripts", "transcripts-test-operator-key",
            (services, handler) => services.AddGrpcClient<TranscriptStore.TranscriptStoreClient>().ConfigurePrimaryHttpMessageHandler(handler),
            configureService: web => web.UseSetting("Transcripts:Recordings:Directory", RecordingsDirectory),
            configureGateway: web => web.UseSetting("Gateway:Recordings:Directory", RecordingsDirectory));
    }

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Transcripts tenant") => Platform.NewTenantAsync(name);

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
        try { Directory.Delete(RecordingsDirectory, recursive: true); } catch (IOException) { }
    }
}
