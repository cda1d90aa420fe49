using k8s;
using k8s.Models;

namespace VoicePlatform.Infra.Tests.CustomResources;

/// <summary>Prometheus Operator <c>monitoring.coreos.com/v1 ServiceMonitor</c>, the fields a scrape by label uses.</summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiGroupVersionKind = "monitoring.coreos.com/v1/ServiceMonitor";

    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public V1LabelSelector Selector { get; set; } = new();
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }
    public string? Path { get; set; }
    public string? Interval { get; set; }
    public string? Scheme { get; set; }
}
