using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using VoicePlatform.Infra.Tests.CustomResources;

namespace VoicePlatform.Infra.Tests.Rendering;

/// <summary>
/// One overlay rendered and loaded strictly (<see cref="KubernetesYaml"/> with strict on: an unknown field or a
/// duplicate key throws) into the Kubernetes API's typed models, plus typed models of the custom resources we ship.
/// Rendered once per test run and overlay.
/// </summary>
public sealed class RenderedManifests
{
    private static readonly ConcurrentDictionary<string, Lazy<RenderedManifests>> Cache = new();

    private static readonly Dictionary<string, Type> CustomResourceTypes = new()
    {
        [HttpRoute.ApiGroupVersionKind] = typeof(HttpRoute),
        [ServiceMonitor.ApiGroupVersionKind] = typeof(ServiceMonitor),
        [ScaledObject.ApiGroupVersionKind] = typeof(ScaledObject),
    };

    private RenderedManifests(string yaml)
    {
        Yaml = yaml;
        Objects = KubernetesYaml.LoadAllFromString(yaml, CustomResourceTypes, strict: true);
    }

    public static RenderedManifests Of(string overlay) =>
        Cache.GetOrAdd(overlay, name => new Lazy<RenderedManifests>(() => new RenderedManifests(Overlay.Named(name).Render()))).Value;

    /// <summary>YAML rendered elsewhere (a test's own overlay), loaded as strictly; not cached.</summary>
    public static RenderedManifests FromYaml(string yaml) => new(yaml);

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    public IEnumerable<V1Deployment> Deployments => OfType<V1Deployment>();

    /// <summary>Every pod template (Deployments and StatefulSets) with the name of the workload that owns it.</summary>
    public IEnumerable<(string Kind, string Name, V1PodTemplateSpec Template)> Workloads =>
        Deployments.Select(d => ("Deployment", d.Metadata.Name, d.Spec.Template))
            .Concat(OfType<V1StatefulSet>().Select(s => ("StatefulSet", s.Metadata.Name, s.Spec.Template)));

    /// <summary>The platform's own workloads (our images), as opposed to the dev overlay's backing services.</summary>
    public IEnumerable<V1Deployment> PlatformDeployments =>
        Deployments.Where(d => d.Spec.Template.Spec.Containers.All(c => c.Image.StartsWith("voiceplatform/", StringComparison.Ordinal)));

    public V1Deployment Deployment(string name) => Deployments.Single(d => d.Metadata.Name == name);

    public V1ConfigMap? ConfigMap(string name) => OfType<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name);

    public V1Secret? Secret(string name) => OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name);

    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
