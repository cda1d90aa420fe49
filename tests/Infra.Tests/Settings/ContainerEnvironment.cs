using k8s.Models;
using VoicePlatform.Infra.Tests.Rendering;

namespace VoicePlatform.Infra.Tests.Settings;

/// <summary>
/// The environment a container would start with: its ConfigMap and Secret references (with their prefixes) and its
/// own <c>env</c>. ConfigMap values are known; Secret values are not (a Secret the overlay does not render is one the
/// operator provides, listed with its keys in the overlay's <c>required-secrets.txt</c>).
/// </summary>
public static class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string?> Of(V1Container container, RenderedManifests manifests, string overlay)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = manifests.ConfigMap(configMapRef.Name)
                    ?? throw new InvalidOperationException($"{container.Name}: ConfigMap {configMapRef.Name} is not rendered");
                foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>()) environment[prefix + key] = value;
            }
            if (source.SecretRef is { } secretRef)
            {
                foreach (var key in SecretKeys(secretRef.Name, manifests, overlay)) environment[prefix + key] = null;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is { } secretKey)
                Assert.Contains(secretKey.Key, SecretKeys(secretKey.Name, manifests, overlay));
            if (variable.ValueFrom?.ConfigMapKeyRef is { } configMapKey)
                Assert.Contains(configMapKey.Key, (IDictionary<string, string>?)manifests.ConfigMap(configMapKey.Name)?.Data ?? new Dictionary<string, string>());
            environment[variable.Name] = variable.Value;
        }
        return environment;
    }

    public static IReadOnlyCollection<string> SecretKeys(string name, RenderedManifests manifests, string overlay)
    {
        if (manifests.Secret(name) is { } secret)
            return [.. (secret.Data?.Keys ?? []), .. (secret.StringData?.Keys ?? [])];
        var provided = ProvidedSecrets(overlay);
        return provided.TryGetValue(name, out var keys) ? keys
            : throw new InvalidOperationException($"Secret {name} is neither rendered by overlay {overlay} nor listed in its required-secrets.txt");
    }

    /// <summary>The Secrets an overlay expects the operator to create: <c>required-secrets.txt</c>, "name key key…" per line.</summary>
    public static IReadOnlyDictionary<string, string[]> ProvidedSecrets(string overlay)
    {
        var path = Path.Combine(RepositoryPaths.K8s, "overlays", overlay, "required-secrets.txt");
        if (!File.Exists(path)) return new Dictionary<string, string[]>();
        return File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts[1..]);
    }
}
