using System.Globalization;
using System.Xml.Linq;
using k8s.Models;
using VoicePlatform.Infra.Tests.Rendering;
using VoicePlatform.Infra.Tests.Settings;

namespace VoicePlatform.Infra.Tests;

/// <summary>
/// The settings each Deployment gives its service, checked against the service itself: what it needs at start
/// (from its source, <see cref="StartupRequirements"/>) is there, and every setting under one of its options sections
/// names a real property with a value of the right type (from its build output, <see cref="OptionsSurface"/>).
/// </summary>
public sealed class ServiceSettingsTests
{
    public static TheoryData<string> Overlays => ["dev", "production"];

    /// <summary>Settings read outside options types: hosting, logging, telemetry, connection strings, discovery.</summary>
    private static readonly string[] InfrastructurePrefixes =
        ["ConnectionStrings__", "services__", "Kestrel__", "Logging__", "OTEL_", "ASPNETCORE_", "DOTNET_"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_setting_a_service_needs_at_start_is_given(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var deployment in manifests.PlatformDeployments)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var project = ServiceProject.ForImage(container.Image);
            var environment = ContainerEnvironment.Of(container, manifests, overlay);
            foreach (var key in StartupRequirements.Of(project))
                Assert.True(environment.ContainsKey(key), $"{deployment.Metadata.Name} ({overlay}) needs {key} at start and is not given it");
        }
    }

    /// <summary>
    /// The NetworkPolicies let each service reach every service its source calls (and nothing else is checked here:
    /// see ServiceWiringTests for what must stay closed). A call needs an egress rule on the caller and an ingress rule
    /// on the callee, both naming the other's pods and the gRPC port.
    /// </summary>
    [Theory]
    [MemberData(nameof(Overlays))]
    public void NetworkPolicies_admit_every_call_a_service_makes(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        var policies = manifests.OfType<V1NetworkPolicy>().ToList();
        foreach (var caller in manifests.PlatformDeployments)
        {
            var callerLabels = caller.Spec.Template.Metadata.Labels;
            var project = ServiceProject.ForImage(caller.Spec.Template.Spec.Containers.Single().Image);
            foreach (var callee in StartupRequirements.Of(project).Where(k => k.StartsWith("services__", StringComparison.Ordinal)).Select(k => k.Split("__")[1]))
            {
                var target = manifests.Deployment(callee);
                var calleeLabels = target.Spec.Template.Metadata.Labels;
                var grpc = target.Spec.Template.Spec.Containers.Single().Ports.Single(p => p.Name == "grpc").ContainerPort;
                bool Admits(IntOrString? port) => port is null || port.Value == "grpc" || port.Value == grpc.ToString(CultureInfo.InvariantCulture);
                Assert.True(policies.Any(p => Selects(p.Spec.PodSelector, calleeLabels) && (p.Spec.Ingress ?? []).Any(rule =>
                        (rule.FromProperty ?? []).Any(peer => peer.NamespaceSelector is null && Selects(peer.PodSelector, callerLabels))
                        && (rule.Ports ?? []).Any(port => Admits(port.Port)))),
                    $"{overlay}: no NetworkPolicy admits {caller.Metadata.Name} to {callee}'s gRPC port");
                Assert.True(policies.Any(p => Selects(p.Spec.PodSelector, callerLabels) && (p.Spec.Egress ?? []).Any(rule =>
                        (rule.To ?? []).Any(peer => peer.NamespaceSelector is null && Selects(peer.PodSelector, calleeLabels))
                        && (rule.Ports ?? []).Any(port => Admits(port.Port)))),
                    $"{overlay}: no NetworkPolicy lets {caller.Metadata.Name} out to {callee}'s gRPC port");
            }
        }
    }

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector is not null && (selector.MatchExpressions is null or { Count: 0 }) && RenderedManifests.Selects(selector.MatchLabels, labels);

    [Fact]
    public void Startup_requirements_are_read_from_the_services_source()
    {
        // The derivation finds what the Gateway and Router are known to need; an empty set would pass anything.
        var gateway = StartupRequirements.Of(ServiceProject.ForImage("voiceplatform/gateway:0.1.0"));
        Assert.Superset(new SortedSet<string> { "ConnectionStrings__postgres-gateway", "ConnectionStrings__redis", "ConnectionStrings__rabbitmq",
            "services__router__grpc__0", "services__router__http__0", "services__tools__grpc__0", "services__transcripts__grpc__0", "services__billing__grpc__0" },
            gateway.ToHashSet());
        var router = StartupRequirements.Of(ServiceProject.ForImage("voiceplatform/router:0.1.0"));
        Assert.Superset(new SortedSet<string> { "ConnectionStrings__postgres-router", "ConnectionStrings__redis", "services__tools__grpc__0" }, router.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_setting_names_an_options_property_and_parses_as_its_type(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var deployment in manifests.PlatformDeployments)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            using var surface = new OptionsSurface(ServiceProject.ForImage(container.Image));
            Assert.NotEmpty(surface.Sections);
            foreach (var (key, value) in ContainerEnvironment.Of(container, manifests, overlay))
            {
                if (InfrastructurePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || key == "ShutdownTimeoutSeconds") continue;
                var problem = surface.Check(key, value);
                Assert.True(problem is null, $"{deployment.Metadata.Name} ({overlay}): {key}: {problem}");
            }
        }
    }

    [Fact]
    public void The_options_surface_rejects_a_misspelt_setting_and_a_mistyped_value()
    {
        using var surface = new OptionsSurface(ServiceProject.ForImage("voiceplatform/gateway:0.1.0"));
        Assert.Null(surface.Check("Gateway__Realtime__DrainGracePeriod", "00:00:05"));
        Assert.Null(surface.Check("Gateway__OperatorKey", null));
        Assert.Null(surface.Check("Management__Port", "8090"));
        Assert.NotNull(surface.Check("Gateway__Realtime__DrainGracePeriodSeconds", "5"));
        Assert.NotNull(surface.Check("Gateway__Realtime__DrainGracePeriod", "five seconds"));
        Assert.Equal(OptionsSurface.Unbound, surface.Check("Gatway__OperatorKey", "x"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Listening_ports_match_the_container_ports_and_the_project_image(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        foreach (var deployment in manifests.PlatformDeployments)
        {
            var container = deployment.Spec.Template.Spec.Containers.Single();
            var environment = ContainerEnvironment.Of(container, manifests, overlay);
            var ports = container.Ports.ToDictionary(p => p.Name, p => p.ContainerPort);
            Assert.Equal(ports["management"].ToString(CultureInfo.InvariantCulture), environment["Management__Port"]);
            Assert.EndsWith($":{ports["http"]}", environment["Kestrel__Endpoints__http__Url"], StringComparison.Ordinal);
            if (ports.TryGetValue("grpc", out var grpc))
            {
                Assert.EndsWith($":{grpc}", environment["Kestrel__Endpoints__grpc__Url"], StringComparison.Ordinal);
                Assert.Equal("Http2", environment["Kestrel__Endpoints__grpc__Protocols"]);
            }
            var project = ServiceProject.ForImage(container.Image);
            var csproj = XDocument.Load(Directory.GetFiles(project.Directory, "*.csproj").Single());
            var imagePorts = csproj.Descendants("ContainerPort").Select(e => int.Parse(e.Attribute("Include")!.Value, CultureInfo.InvariantCulture)).ToHashSet();
            Assert.True(imagePorts.SetEquals(ports.Values), $"{deployment.Metadata.Name}: the image declares ports {string.Join(",", imagePorts)}, the Deployment {string.Join(",", ports.Values)}");
            Assert.EndsWith(":" + csproj.Descendants("ContainerImageTag").Single().Value, container.Image, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Credentials_come_from_Secrets_never_from_ConfigMaps(string overlay)
    {
        var manifests = RenderedManifests.Of(overlay);
        string[] credentialNames = ["ApiKey", "OperatorKey", "SecretKey", "AccessKey", "Password"];
        foreach (var configMap in manifests.OfType<V1ConfigMap>())
        {
            foreach (var key in configMap.Data?.Keys ?? [])
                Assert.False(key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || credentialNames.Contains(key.Split("__")[^1]),
                    $"ConfigMap {configMap.Metadata.Name} holds {key}, a credential");
        }
    }
}
