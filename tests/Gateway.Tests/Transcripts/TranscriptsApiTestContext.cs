extern alias TranscriptsService;

using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Recordings;
using VoicePlatform.TestSupport.ObjectStorage;
using TranscriptsService::VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Gateway.Tests.Transcripts;

/// <summary>
/// The real Gateway and the real Transcripts service, both in-process on their own databases; the Transcripts service
/// consumes from the test run's RabbitMQ, so tests record sessions by publishing the Router's events on the bus.
/// The Gateway finds Transcripts by service discovery (<c>services:transcripts:grpc:0</c>) as in production. Both share
/// one recording store, configured as an S3-compatible bucket on a real local S3 server (AppHost and the end-to-end
/// tests use the local-directory store, so both stores run behind the services). One instance for every class that needs it
/// (<see cref="TranscriptsServiceCollection"/>): two Transcripts services would compete for the same queues.
/// </summary>
public sealed class TranscriptsApiTestContext : IAsyncLifetime
{
    private GatewayWithService<SessionStore>? _platform;

    private readonly S3Server _s3 = new();
    private S3RecordingStore? _recordings;

    /// <summary>The recording store both services are configured with (the same bucket, through its own client).</summary>
    public IRecordingStore RecordingStore => _recordings ?? throw new InvalidOperationException("not initialised");

    private GatewayWithService<SessionStore> Platform => _platform ?? throw new InvalidOperationException("not initialised");

    public WebApplicationFactory<Program> Gateway => Platform.Gateway;

    public IBus Bus => Platform.Service.Factory.Services.GetRequiredService<IBus>();

    /// <summary>The Transcripts service's own services (its recording store, for retention).</summary>
    public IServiceProvider TranscriptsServices => Platform.Service.Factory.Services;

    public async Task InitializeAsync()
    {
        await _s3.InitializeAsync();
        const string bucket = "recordings-test";
        _recordings = new S3RecordingStore(new S3RecordingStoreOptions
        {
            ServiceUrl = _s3.ServiceUrl, Bucket = bucket, AccessKey = _s3.AccessKey, SecretKey = _s3.SecretKey, KeyPrefix = "env-a/",
        });
        await _recordings.EnsureBucketAsync();
        _platform = await GatewayWithService<SessionStore>.StartAsync("transcripts", "transcripts-test-operator-key",
            (services, handler) => services.AddGrpcClient<TranscriptStore.TranscriptStoreClient>().ConfigurePrimaryHttpMessageHandler(handler),
            configureService: web => UseS3(web, "Transcripts:Recordings:S3", bucket),
            configureGateway: web => UseS3(web, "Gateway:Recordings:S3", bucket));
    }

    private void UseS3(IWebHostBuilder web, string section, string bucket)
    {
        web.UseSetting($"{section}:ServiceUrl", _s3.ServiceUrl);
        web.UseSetting($"{section}:Bucket", bucket);
        web.UseSetting($"{section}:AccessKey", _s3.AccessKey);
        web.UseSetting($"{section}:SecretKey", _s3.SecretKey);
        web.UseSetting($"{section}:KeyPrefix", "env-a/");
    }

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Transcripts tenant") => Platform.NewTenantAsync(name);

    public async Task DisposeAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
        _recordings?.Dispose();
        await _s3.DisposeAsync();
    }
}
