using System.Net.Http.Headers;
using System.Text;
using VoicePlatform.Infra.Tests.Rendering;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// The rendered <c>dev</c> overlay run as processes (<see cref="SimulatedCluster"/>) against the test's real
/// PostgreSQL, Redis and RabbitMQ, every pod started and ready; a tenant and its API key created through the
/// Gateway's Service with the overlay's operator key, as the infra README's five commands end.
/// </summary>
public sealed class DevOverlaySimulation : IAsyncLifetime
{
    public SimulatedCluster Cluster { get; private set; } = null!;

    public RenderedManifests Manifests { get; private set; } = null!;

    public string ApiKey { get; private set; } = null!;

    public string GatewayUrl => Cluster.ServiceUrl("gateway", 8080);

    public async Task InitializeAsync()
    {
        var backing = await BackingServices.GetAsync();
        Manifests = await SimulationOverlay.RenderAsync(backing);
        Cluster = new SimulatedCluster(Manifests, TestDirectories.Create("k8s-simulation"));
        try
        {
            await Cluster.StartAsync();
            await WaitUntilAllReadyAsync();
            ApiKey = await CreateTenantKeyAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The dev overlay did not come up: {e.Message}\n{Cluster.LogsOfAll()}", e);
        }
    }

    public async Task WaitUntilAllReadyAsync()
    {
        var ready = await Poll.UntilAsync(() => Task.FromResult(Cluster.RunningPods.All(p => p.Ready)), all => all, TimeSpan.FromMinutes(2));
        Assert.True(ready, "not ready: " + string.Join(", ", Cluster.RunningPods.Where(p => !p.Ready).Select(p => p.Name)));
    }

    public Uri RealtimeUri(string model) => new($"{GatewayUrl.Replace("http://", "ws://", StringComparison.Ordinal)}/v1/realtime?model={Uri.EscapeDataString(model)}");

    private async Task<string> CreateTenantKeyAsync()
    {
        var operatorKey = Encoding.UTF8.GetString(Manifests.OfType<k8s.Models.V1Secret>()
            .Single(s => s.Metadata.Name.StartsWith("voiceplatform-operator-", StringComparison.Ordinal)).Data["operator-key"]);
        using var admin = new HttpClient { BaseAddress = new Uri(GatewayUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        return (await TenantSetup.CreateTenantWithKeyAsync(admin, "k8s-simulation", "simulation")).ApiKey;
    }

    public async Task DisposeAsync()
    {
        if (Cluster is null) return;
        await Cluster.DisposeAsync();
        // VOICEPLATFORM_KEEP_TEST_STATE=1 keeps the pods' logs for debugging, as the platform fixture does.
        if (Environment.GetEnvironmentVariable("VOICEPLATFORM_KEEP_TEST_STATE") != "1") TestDirectories.TryDelete(Cluster.LogDirectory);
    }
}
