using k8s;
using k8s.Models;

namespace VoicePlatform.Infra.Tests.CustomResources;

/// <summary>KEDA <c>keda.sh/v1alpha1 ScaledObject</c>, the fields a Prometheus + CPU scaler uses.</summary>
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiGroupVersionKind = "keda.sh/v1alpha1/ScaledObject";

    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ScaledObjectSpec Spec { get; set; } = new();
}

public sealed class ScaledObjectSpec
{
    public ScaleTargetRef ScaleTargetRef { get; set; } = new();
    public int? MinReplicaCount { get; set; }
    public int? MaxReplicaCount { get; set; }
    public int? PollingInterval { get; set; }
    public int? CooldownPeriod { get; set; }
    public ScaledObjectAdvanced? Advanced { get; set; }
    public List<ScaleTrigger> Triggers { get; set; } = [];
}

public sealed class ScaleTargetRef
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
}

public sealed class ScaledObjectAdvanced
{
    public bool? RestoreToOriginalReplicaCount { get; set; }
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class HorizontalPodAutoscalerConfig
{
    public string? Name { get; set; }
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class ScaleTrigger
{
    public static readonly string[] MetricTypes = ["AverageValue", "Value", "Utilization"];

    public string Type { get; set; } = "";
    public string? Name { get; set; }
    public string? MetricType { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
}
