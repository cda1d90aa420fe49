using k8s;
using k8s.Models;
using VoicePlatform.Infra.Tests.CustomResources;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests;

/// <summary>Every overlay renders offline, and every object it renders is one the Kubernetes API (or the CRD) knows, field for field.</summary>
public sealed class StrictLoadingTests
{
    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_object_loads_strictly_into_its_typed_model(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);

        Assert.NotEmpty(manifests.Objects);
        var documents = manifests.Yaml.Split("\n---\n").Length;
        Assert.Equal(documents, manifests.Objects.Count);
        Assert.All(manifests.Objects, o => Assert.False(string.IsNullOrEmpty(((IMetadata<V1ObjectMeta>)o).Metadata?.Name)));
    }

    [Fact]
    public void The_strict_loader_rejects_a_field_the_API_does_not_have()
    {
        // The guard the tests above rely on: a misspelt field is an error, not silently dropped.
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: typo
            spec:
              replica: 2
            """;
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, strict: true));
        const string route = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: typo
            spec:
              rules:
                - backendRef: []
            """;
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(route,
            new Dictionary<string, Type> { [HttpRoute.ApiGroupVersionKind] = typeof(HttpRoute) }, strict: true));
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Enumerated_fields_hold_values_their_schema_allows(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        string[] protocols = ["TCP", "UDP", "SCTP"];
        foreach (var (_, name, template) in manifests.Workloads)
        {
            Assert.All(template.Spec.Containers.SelectMany(c => c.Ports ?? []), p => Assert.Contains(p.Protocol ?? "TCP", protocols));
            Assert.All(template.Spec.Containers, c => Assert.Contains(c.ImagePullPolicy ?? "IfNotPresent", new[] { "Always", "IfNotPresent", "Never" }));
            Assert.Contains(template.Spec.SecurityContext?.SeccompProfile?.Type ?? "RuntimeDefault", new[] { "RuntimeDefault", "Localhost", "Unconfined" });
            _ = name;
        }
        foreach (var deployment in manifests.Deployments)
            Assert.Contains(deployment.Spec.Strategy?.Type ?? "RollingUpdate", new[] { "RollingUpdate", "Recreate" });
        foreach (var policy in manifests.OfType<V1NetworkPolicy>())
            Assert.All(policy.Spec.PolicyTypes ?? [], t => Assert.Contains(t, new[] { "Ingress", "Egress" }));
        foreach (var service in manifests.OfType<V1Service>())
            Assert.Contains(service.Spec.Type ?? "ClusterIP", new[] { "ClusterIP", "NodePort", "LoadBalancer", "ExternalName" });
        foreach (var route in manifests.OfType<HttpRoute>())
            Assert.All(route.Spec.Rules.SelectMany(r => r.Matches), m => Assert.Contains(m.Path?.Type ?? "PathPrefix", HttpPathMatch.Types));
        foreach (var scaled in manifests.OfType<ScaledObject>())
            Assert.All(scaled.Spec.Triggers, t => Assert.Contains(t.MetricType ?? "AverageValue", ScaleTrigger.MetricTypes));
        foreach (var hpa in manifests.OfType<V2HorizontalPodAutoscaler>())
            Assert.All(hpa.Spec.Metrics, m => Assert.Contains(m.Type, new[] { "Resource", "Pods", "Object", "External", "ContainerResource" }));
    }
}
