using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// The environment a container gets from its Deployment, values resolved as the kubelet resolves them (<c>envFrom</c>
/// ConfigMaps and Secrets with their prefixes, then <c>env</c> with <c>value</c>, <c>configMapKeyRef</c> and
/// <c>secretKeyRef</c>; later entries win), then translated from the pod network to this machine's loopback, the one
/// difference a process on one host has from a pod: every pod here shares one IP, so
/// <list type="bullet">
/// <item>a listening setting on a container port (<c>…__Url=http://+:8080</c>, <c>Management__Port=8090</c>) gets the
/// port this pod was given for it (host and scheme unchanged);</item>
/// <item>a Service address (<c>scheme://router:8081</c>, or <c>router.&lt;namespace&gt;.svc[.cluster.local]</c>) becomes
/// <c>scheme://127.0.0.1:&lt;port&gt;</c> of that Service port's <see cref="ServiceProxy"/>.</item>
/// </list>
/// Nothing else changes; every change is listed in <see cref="Translations"/>.
/// </summary>
public sealed class PodEnvironment
{
    private static readonly Regex ServiceAddress = new(@"(?<scheme>[a-z][a-z0-9+.-]*)://(?<host>[a-z0-9-]+)(?<suffix>\.[a-z0-9-]+\.svc(\.cluster\.local)?)?:(?<port>\d+)", RegexOptions.Compiled);

    private static readonly Regex ListeningUrl = new(@"^(?<scheme>https?)://(?<host>\+|\*|0\.0\.0\.0|\[::\])(?<port>:\d+)?$", RegexOptions.Compiled);

    private PodEnvironment(Dictionary<string, string> variables, List<string> translations)
    {
        Variables = variables;
        Translations = translations;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>"NAME: before → after" for every value changed from the Deployment's.</summary>
    public IReadOnlyList<string> Translations { get; }

    /// <param name="containerPorts">container port → the loopback port this pod listens on instead.</param>
    /// <param name="serviceProxies">"service:port" → the loopback port of that Service port.</param>
    public static PodEnvironment Resolve(V1Container container, RenderedManifests manifests,
        IReadOnlyDictionary<int, int> containerPorts, IReadOnlyDictionary<string, int> serviceProxies)
    {
        var declared = Declared(container, manifests);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var translations = new List<string>();
        foreach (var (name, value) in declared)
        {
            var translated = Translate(name, value, containerPorts, serviceProxies);
            variables[name] = translated;
            if (translated != value) translations.Add($"{name}: {value} → {translated}");
        }
        return new PodEnvironment(variables, translations);
    }

    /// <summary>The values exactly as the Deployment gives them, before translation.</summary>
    public static Dictionary<string, string> Declared(V1Container container, RenderedManifests manifests)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } configMapRef)
            {
                foreach (var (key, value) in ConfigMap(manifests, configMapRef.Name).Data ?? new Dictionary<string, string>())
                    environment[prefix + key] = value;
            }
            if (source.SecretRef is { } secretRef)
            {
                foreach (var (key, value) in Secret(manifests, secretRef.Name).Data ?? new Dictionary<string, byte[]>())
                    environment[prefix + key] = Encoding.UTF8.GetString(value);
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => variable.Value ?? "",
                { SecretKeyRef: { } key } => Encoding.UTF8.GetString(Secret(manifests, key.Name).Data[key.Key]),
                { ConfigMapKeyRef: { } key } => ConfigMap(manifests, key.Name).Data[key.Key],
                _ => throw new NotSupportedException($"{container.Name}: env {variable.Name} uses a valueFrom the simulation does not resolve"),
            };
        }
        return environment;
    }

    private static string Translate(string name, string value, IReadOnlyDictionary<int, int> containerPorts, IReadOnlyDictionary<string, int> serviceProxies)
    {
        if (name == "Management__Port" && int.TryParse(value, out var management))
            return HostPort(containerPorts, management, name).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ListeningUrl.Match(value) is { Success: true } listening)
        {
            var port = listening.Groups["port"].Success ? int.Parse(listening.Groups["port"].Value[1..], System.Globalization.CultureInfo.InvariantCulture)
                : listening.Groups["scheme"].Value == "https" ? 443 : 80;
            return $"{listening.Groups["scheme"].Value}://{listening.Groups["host"].Value}:{HostPort(containerPorts, port, name)}";
        }
        return ServiceAddress.Replace(value, match =>
        {
            var key = $"{match.Groups["host"].Value}:{match.Groups["port"].Value}";
            return serviceProxies.TryGetValue(key, out var proxy) ? $"{match.Groups["scheme"].Value}://127.0.0.1:{proxy}" : match.Value;
        });
    }

    private static int HostPort(IReadOnlyDictionary<int, int> containerPorts, int containerPort, string name) =>
        containerPorts.TryGetValue(containerPort, out var port) ? port
            : throw new InvalidOperationException($"{name} listens on {containerPort}, which is not a container port of the pod");

    private static V1ConfigMap ConfigMap(RenderedManifests manifests, string name) =>
        manifests.ConfigMap(name) ?? throw new InvalidOperationException($"ConfigMap {name} is not rendered");

    private static V1Secret Secret(RenderedManifests manifests, string name) =>
        manifests.Secret(name) ?? throw new InvalidOperationException($"Secret {name} is not rendered");
}
