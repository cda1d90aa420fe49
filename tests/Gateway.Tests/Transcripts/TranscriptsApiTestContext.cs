extern alias TranscriptsService;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
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
    private const string OperatorKey = "transcripts-test-operator-key";

    private InProcessService<SessionStore>? _transcripts;
    private InProcessService<Program>? _gateway;

    public string RecordingsDirectory { get; } = Path.Combine(Path.GetTempPath(), $"vp-recordings-{Guid.NewGuid():N}");

    public WebApplicationFactory<Program> Gateway => (_gateway ?? throw new InvalidOperationException("not initialised")).Factory;

    public IBus Bus => (_transcripts ?? throw new InvalidOperationException("not initialised")).Factory.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(RecordingsDirectory);
        _transcripts = await InProcessService<SessionStore>.StartAsync("transcripts",
            configure: web => web.UseSetting("Transcripts:Recordings:Directory", RecordingsDirectory));
        await _transcripts.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var transcriptsServer = _transcripts.Factory.Server;
        _gateway = await InProcessService<Program>.StartAsync("gateway", configure: web =>
        {
            web.UseSetting("Gateway:OperatorKey", OperatorKey);
            web.UseSetting("Gateway:Recordings:Directory", RecordingsDirectory);
            web.UseSetting("services:transcripts:grpc:0", "http://transcripts.test");
            web.ConfigureTestServices(services => services.AddGrpcClient<TranscriptStore.TranscriptStoreClient>()
                .ConfigurePrimaryHttpMessageHandler(() => transcriptsServer.CreateHandler()));
        });
    }

    /// <summary>A new tenant and an HTTP client authenticated with its API key.</summary>
    public async Task<(Guid TenantId, HttpClient Client)> NewTenantAsync(string name = "Transcripts tenant")
    {
        using var admin = Gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name });
        created.EnsureSuccessStatusCode();
        var tenantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var issued = await admin.PostAsJsonAsync($"/v1/admin/tenants/{tenantId}/keys", new { name = "test" });
        issued.EnsureSuccessStatusCode();
        var key = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return (Guid.Parse(tenantId!), client);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_transcripts is not null) await _transcripts.DisposeAsync();
        try { Directory.Delete(RecordingsDirectory, recursive: true); } catch (IOException) { }
    }
}
