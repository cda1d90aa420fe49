using System.Globalization;
using k8s.Models;
using VoicePlatform.Infra.Tests.CustomResources;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests;

/// <summary>How the objects fit together: Services reach container ports, Deployments are protected by PDBs and
/// drain before they are killed, autoscalers target what exists, and only the Gateway is reachable from outside.</summary>
public sealed class ServiceWiringTests
{
    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_Deployment_has_a_PodDisruptionBudget_selecting_its_pods(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var budgets = manifests.OfType<V1PodDisruptionBudget>().ToList();
        foreach (var deployment in manifests.Deployments)
        {
            var labels = deployment.Spec.Template.Metadata.Labels;
            Assert.True(budgets.Any(b => RenderedManifests.Selects(b.Spec.Selector.MatchLabels, labels)),
                $"Deployment {deployment.Metadata.Name} has no PodDisruptionBudget");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_Service_port_targets_a_container_port_of_the_pods_it_selects(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var workloads = manifests.Workloads.ToList();
        foreach (var service in manifests.OfType<V1Service>())
        {
            var selected = workloads.Where(w => RenderedManifests.Selects(service.Spec.Selector, w.Template.Metadata.Labels)).ToList();
            Assert.True(selected.Count > 0, $"Service {service.Metadata.Name} selects no workload");
            foreach (var port in service.Spec.Ports)
            {
                var target = port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture);
                foreach (var (_, name, template) in selected)
                {
                    var ports = template.Spec.Containers.SelectMany(c => c.Ports ?? []).ToList();
                    Assert.True(ports.Any(p => p.Name == target || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == target),
                        $"Service {service.Metadata.Name} port {port.Name} targets {target}, which {name} does not expose");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Rollouts_never_take_a_serving_pod_away_before_its_replacement_is_ready(string overlay)
    {
        foreach (var deployment in RenderedManifests.Of(overlay).Deployments)
        {
            Assert.Equal("RollingUpdate", deployment.Spec.Strategy?.Type);
            Assert.Equal("0", deployment.Spec.Strategy!.RollingUpdate?.MaxUnavailable?.Value);
        }
    }

    /// <summary>
    /// Kubernetes sends SIGTERM after preStop and SIGKILL at terminationGracePeriodSeconds (counted from the start of
    /// preStop). The host then has ShutdownTimeoutSeconds for its stopping work, which holds the Gateway's and the
    /// Router's drain (Gateway__Realtime__DrainGracePeriod, Continuity__DrainTimeout): every stage must fit inside the next.
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void The_grace_period_outlasts_preStop_plus_the_host_shutdown_which_outlasts_the_drain(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var drains = new Dictionary<string, string> { ["gateway"] = "Gateway__Realtime__DrainGracePeriod", ["router"] = "Continuity__DrainTimeout" };
        foreach (var deployment in manifests.PlatformDeployments)
        {
            var name = deployment.Metadata.Name;
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            var config = manifests.ConfigMap(container.EnvFrom.Single(e => e.ConfigMapRef is not null).ConfigMapRef.Name)!.Data;
            var preStop = container.Lifecycle?.PreStop?.Sleep?.Seconds
                ?? throw new Xunit.Sdk.XunitException($"{name}: no preStop sleep (the endpoints must drop the pod before SIGTERM)");
            var shutdown = int.Parse(config["ShutdownTimeoutSeconds"], CultureInfo.InvariantCulture);
            Assert.True(pod.TerminationGracePeriodSeconds > preStop + shutdown,
                $"{name}: terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} <= preStop {preStop} + ShutdownTimeoutSeconds {shutdown}");
            if (drains.TryGetValue(name, out var drainKey))
            {
                var drain = TimeSpan.Parse(config[drainKey], CultureInfo.InvariantCulture);
                Assert.True(TimeSpan.FromSeconds(shutdown) > drain, $"{name}: ShutdownTimeoutSeconds {shutdown} does not outlast {drainKey} {drain}");
            }
        }
        Assert.Contains(manifests.PlatformDeployments, d => d.Metadata.Name == "gateway");
        Assert.Contains(manifests.PlatformDeployments, d => d.Metadata.Name == "router");
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Gateway_and_Router_scale_on_live_sessions_and_CPU(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var deployments = manifests.Deployments.Select(d => d.Metadata.Name).ToHashSet();
        foreach (var hpa in manifests.OfType<V2HorizontalPodAutoscaler>())
            Assert.Contains(hpa.Spec.ScaleTargetRef.Name, deployments);
        foreach (var scaled in manifests.OfType<ScaledObject>())
            Assert.Contains(scaled.Spec.ScaleTargetRef.Name, deployments);
        foreach (var name in new[] { "gateway", "router" })
        {
            var hpa = manifests.OfType<V2HorizontalPodAutoscaler>().SingleOrDefault(h => h.Spec.ScaleTargetRef.Name == name);
            var scaled = manifests.OfType<ScaledObject>().SingleOrDefault(s => s.Spec.ScaleTargetRef.Name == name);
            Assert.True(hpa is null ^ scaled is null, $"{name}: exactly one of an HPA or a KEDA ScaledObject must scale it");
            if (hpa is not null)
            {
                Assert.Contains(hpa.Spec.Metrics, m => m.Type == "Resource" && m.Resource.Name == "cpu");
                Assert.Contains(hpa.Spec.Metrics, m => m.Type == "Pods" && m.Pods.Metric.Name.EndsWith("_sessions_active", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains(scaled!.Spec.Triggers, t => t.Type == "cpu");
                Assert.Contains(scaled.Spec.Triggers, t => t.Type == "prometheus" && t.Metadata["query"].Contains("_sessions_active", StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Only_the_Gateway_is_reachable_from_outside_and_only_the_Router_and_Tools_reach_the_internet(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var policies = manifests.OfType<V1NetworkPolicy>().ToList();
        Assert.Contains(policies, p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 } && p.Spec.PodSelector.MatchExpressions is null
                                      && p.Spec.Ingress is null && p.Spec.Egress is null && p.Spec.PolicyTypes.Count == 2); // default deny
        foreach (var policy in policies)
        {
            var target = policy.Spec.PodSelector.MatchLabels is { } selector && selector.TryGetValue("app.kubernetes.io/name", out var selected) ? selected : null;
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                if (rule.FromProperty is null or { Count: 0 })
                    Assert.True(target == "gateway", $"NetworkPolicy {policy.Metadata.Name} admits anyone to {target ?? "every pod"}");
            }
            foreach (var rule in policy.Spec.Egress ?? [])
            {
                if ((rule.To ?? []).Any(peer => peer.IpBlock?.Cidr is "0.0.0.0/0" or "::/0"))
                    Assert.True(target is "router" or "tools", $"NetworkPolicy {policy.Metadata.Name} lets {target ?? "every pod"} reach the internet");
            }
        }
        var routes = manifests.OfType<HttpRoute>().SelectMany(r => r.Spec.Rules).SelectMany(r => r.BackendRefs).Select(b => b.Name)
            .Concat(manifests.OfType<V1Ingress>().SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service.Name));
        Assert.All(routes, backend => Assert.Equal("gateway", backend));
        Assert.All(manifests.OfType<V1Service>(), s => Assert.Contains(s.Spec.Type ?? "ClusterIP", new[] { "ClusterIP" }));
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void WebSocket_routes_do_not_time_out_a_long_session(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var rule in manifests.OfType<HttpRoute>().SelectMany(r => r.Spec.Rules))
        {
            Assert.Equal("0s", rule.Timeouts?.Request);
            Assert.Equal("0s", rule.Timeouts?.BackendRequest);
        }
        foreach (var ingress in manifests.OfType<V1Ingress>())
        {
            foreach (var annotation in new[] { "nginx.ingress.kubernetes.io/proxy-read-timeout", "nginx.ingress.kubernetes.io/proxy-send-timeout" })
                Assert.True(int.Parse(ingress.Metadata.Annotations[annotation], CultureInfo.InvariantCulture) >= 3600, $"{annotation} below an hour");
        }
    }
}
