using System.Text.RegularExpressions;
using k8s.Models;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests;

/// <summary>What every container of every overlay must have: probes, resources, a locked-down security context, a pinned image.</summary>
public sealed partial class WorkloadPolicyTests
{
    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_container_has_readiness_and_liveness_probes(string overlay)
    {
        foreach (var (kind, name, container, _) in Containers(overlay))
        {
            Assert.True(container.ReadinessProbe is not null, $"{kind} {name}/{container.Name} has no readinessProbe");
            Assert.True(container.LivenessProbe is not null, $"{kind} {name}/{container.Name} has no livenessProbe");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Platform_probes_use_the_health_endpoints_on_the_management_port(string overlay)
    {
        foreach (var deployment in RenderedManifests.Of(overlay).PlatformDeployments)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            Assert.Equal("/health", container.ReadinessProbe.HttpGet?.Path);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet?.Path);
            Assert.Equal("management", container.ReadinessProbe.HttpGet!.Port.Value);
            Assert.Equal("management", container.LivenessProbe.HttpGet!.Port.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_container_has_cpu_and_memory_requests_and_limits(string overlay)
    {
        foreach (var (kind, name, container, _) in Containers(overlay))
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{kind} {name}/{container.Name}: no {resource} request");
                Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{kind} {name}/{container.Name}: no {resource} limit");
                Assert.True(container.Resources.Requests[resource].ToDecimal() <= container.Resources.Limits[resource].ToDecimal(),
                    $"{kind} {name}/{container.Name}: {resource} request above its limit");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_container_runs_non_root_without_capabilities_under_the_runtime_default_seccomp_profile(string overlay)
    {
        foreach (var (kind, name, container, pod) in Containers(overlay))
        {
            var where = $"{kind} {name}/{container.Name}";
            var context = container.SecurityContext;
            Assert.True((context?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) == true, $"{where}: runAsNonRoot is not true");
            Assert.NotEqual(0, context?.RunAsUser ?? pod.SecurityContext?.RunAsUser ?? -1);
            Assert.True(context?.AllowPrivilegeEscalation == false, $"{where}: allowPrivilegeEscalation is not false");
            Assert.True(context?.Capabilities?.Drop?.Contains("ALL") == true, $"{where}: capabilities do not drop ALL");
            Assert.True(context?.Capabilities?.Add is null or { Count: 0 }, $"{where}: adds capabilities");
            Assert.Equal("RuntimeDefault", context?.SeccompProfile?.Type ?? pod.SecurityContext?.SeccompProfile?.Type);
            Assert.NotEqual(true, context?.Privileged);
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Platform_containers_have_a_read_only_root_filesystem_and_a_writable_tmp(string overlay)
    {
        foreach (var deployment in RenderedManifests.Of(overlay).PlatformDeployments)
        {
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{deployment.Metadata.Name}: root filesystem is writable");
            var tmp = Assert.Single(container.VolumeMounts ?? [], m => m.MountPath == "/tmp");
            Assert.NotNull(Assert.Single(pod.Volumes ?? [], v => v.Name == tmp.Name).EmptyDir);
            Assert.False(pod.AutomountServiceAccountToken ?? true, $"{deployment.Metadata.Name}: mounts a service-account token it never uses");
        }
    }

    [Theory]
    [MemberData(nameof(Overlay.Names), MemberType = typeof(Overlay))]
    public void Every_image_is_pinned_to_a_version_tag_or_digest(string overlay)
    {
        foreach (var (kind, name, container, _) in Containers(overlay))
            Assert.True(PinnedImage().IsMatch(container.Image), $"{kind} {name}/{container.Name}: image '{container.Image}' is not pinned (a version tag other than latest, or a digest)");
    }

    [Fact]
    public void The_pinned_image_rule_tells_a_floating_tag_from_a_pinned_one()
    {
        Assert.DoesNotMatch(PinnedImage(), "voiceplatform/gateway");
        Assert.DoesNotMatch(PinnedImage(), "voiceplatform/gateway:latest");
        Assert.DoesNotMatch(PinnedImage(), "registry.local:5000/voiceplatform/gateway");
        Assert.Matches(PinnedImage(), "voiceplatform/gateway:0.1.0");
        Assert.Matches(PinnedImage(), "registry.local:5000/voiceplatform/gateway:0.1.0");
        Assert.Matches(PinnedImage(), "postgres@sha256:" + new string('a', 64));
    }

    private static IEnumerable<(string Kind, string Name, V1Container Container, V1PodSpec Pod)> Containers(string overlay)
    {
        var workloads = RenderedManifests.Of(overlay).Workloads.ToList();
        Assert.NotEmpty(workloads);
        return workloads.SelectMany(w => w.Template.Spec.Containers.Concat(w.Template.Spec.InitContainers ?? [])
            .Select(c => (w.Kind, w.Name, c, w.Template.Spec)));
    }

    // A tag (after the last '/') that is not "latest", or a digest.
    [GeneratedRegex(@"^(?:[^@]*/)?[^/@:]+(?::(?!latest$)[\w][\w.-]{0,127}(?:@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$")]
    private static partial Regex PinnedImage();
}
