using k8s.Models;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// The platform's Deployments of a rendered overlay run as processes on this machine: every Service port that selects
/// them is a <see cref="ServiceProxy"/> over the ready pods it selects, every replica a <see cref="SimulatedPod"/>.
/// The overlay's backing StatefulSets are not run (the overlay's Secrets point at real servers instead).
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly RenderedManifests _manifests;
    private readonly List<ServiceProxy> _proxies = [];
    private readonly List<SimulatedPod> _pods = [];
    private readonly Dictionary<string, int> _proxyPorts = new(StringComparer.Ordinal);

    public SimulatedCluster(RenderedManifests manifests, string logDirectory)
    {
        _manifests = manifests;
        LogDirectory = logDirectory;
        Directory.CreateDirectory(logDirectory);
        var platform = manifests.PlatformDeployments.ToList();
        foreach (var service in manifests.OfType<V1Service>())
        {
            if (!platform.Any(d => RenderedManifests.Selects(service.Spec.Selector, d.Spec.Template.Metadata.Labels))) continue;
            foreach (var port in service.Spec.Ports)
            {
                var targetPort = port.TargetPort ?? (IntOrString)port.Port;
                var proxy = new ServiceProxy($"{service.Metadata.Name}:{port.Port}", () => Endpoints(service, targetPort));
                _proxies.Add(proxy);
                _proxyPorts[proxy.Name] = proxy.Port;
            }
        }
    }

    public string LogDirectory { get; }

    public IReadOnlyList<V1Deployment> Deployments => _manifests.PlatformDeployments.ToList();

    public IEnumerable<SimulatedPod> Pods => Snapshot();

    public IEnumerable<SimulatedPod> RunningPods => Snapshot().Where(p => !p.Exited && !p.Terminating);

    /// <summary>"scheme://127.0.0.1:port" of a Service port, as a client in the cluster would reach <c>service:port</c>.</summary>
    public string ServiceUrl(string service, int port, string scheme = "http") => $"{scheme}://127.0.0.1:{_proxyPorts[$"{service}:{port}"]}";

    /// <summary>Starts the Deployments' replicas (their <c>replicas</c>) at once, as a fresh apply does, and waits for every startup probe.</summary>
    public async Task StartAsync()
    {
        var pods = Deployments.SelectMany(d => Enumerable.Range(1, d.Spec.Replicas ?? 1).Select(_ => NewPod(d))).ToList();
        foreach (var pod in pods) pod.Start();
        await Task.WhenAll(pods.Select(p => p.WaitStartedAsync()));
    }

    /// <summary>One more replica of <paramref name="deployment"/> (a surge pod of a rollout, or a scale-up), started and probed.</summary>
    public async Task<SimulatedPod> AddReplicaAsync(string deployment)
    {
        var pod = NewPod(Deployments.Single(d => d.Metadata.Name == deployment));
        pod.Start();
        await pod.WaitStartedAsync();
        return pod;
    }

    public IEnumerable<SimulatedPod> PodsOf(string deployment) => Snapshot().Where(p => p.Deployment.Metadata.Name == deployment);

    private SimulatedPod NewPod(V1Deployment deployment)
    {
        var name = $"{deployment.Metadata.Name}-{PodsOf(deployment.Metadata.Name).Count() + 1}";
        var pod = SimulatedPod.Create(name, deployment, _manifests, _proxyPorts, LogDirectory);
        lock (_pods) _pods.Add(pod);
        return pod;
    }

    private List<int> Endpoints(V1Service service, IntOrString targetPort) =>
        Snapshot()
            .Where(p => p.Ready && !p.Terminating && !p.Exited && RenderedManifests.Selects(service.Spec.Selector, p.Labels))
            .Select(p => p.Port(targetPort))
            .ToList();

    // The proxies read the pods from their own threads while a test adds replicas.
    private List<SimulatedPod> Snapshot()
    {
        lock (_pods) return [.. _pods];
    }

    public string LogsOfAll(int lines = 15) =>
        string.Join("\n", Snapshot().Select(p => $"--- {p.Name}\n{p.TailOfLog(lines)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies) await proxy.DisposeAsync();
        foreach (var pod in Snapshot()) await pod.DisposeAsync();
    }
}
