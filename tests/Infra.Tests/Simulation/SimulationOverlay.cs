using System.Text;
using VoicePlatform.Infra.Tests.Rendering;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Infra.Tests.Simulation;

/// <summary>
/// The <c>dev</c> overlay as the simulation runs it: a scratch kustomization on top of <c>overlays/dev</c> that merges
/// into its PostgreSQL, Redis and RabbitMQ Secrets the connection strings of the test's real servers
/// (<see cref="BackingServices"/>) in place of the in-cluster StatefulSets, which are not started. Everything else
/// (ConfigMaps, the operator and provider Secrets, probes, ports, lifecycle) is the dev overlay's, rendered by kubectl.
/// </summary>
public static class SimulationOverlay
{
    public const string Namespace = "voiceplatform-dev";

    public static async Task<RenderedManifests> RenderAsync(BackingServices backing)
    {
        var dev = RenderedManifests.Of("dev");
        var postgres = dev.OfType<k8s.Models.V1Secret>().Single(s => s.Metadata.Name.StartsWith("voiceplatform-postgres-", StringComparison.Ordinal));
        var databases = new List<string>();
        foreach (var service in postgres.Data.Keys.Order(StringComparer.Ordinal))
            databases.Add($"{service}={await backing.CreateDatabaseAsync($"k8s_{service}")}");

        var scratch = Directory.CreateTempSubdirectory("voiceplatform-simulation-");
        try
        {
            var yaml = new StringBuilder($"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {Path.GetRelativePath(scratch.FullName, Path.Combine(RepositoryPaths.K8s, "overlays", "dev"))}
                secretGenerator:
                {Merge("voiceplatform-postgres", databases)}
                {Merge("voiceplatform-redis", [$"connection-string={backing.RedisConnectionString}"])}
                {Merge("voiceplatform-rabbitmq", [$"connection-string={backing.RabbitMqConnectionString}"])}
                """);
            File.WriteAllText(Path.Combine(scratch.FullName, "kustomization.yaml"), yaml.ToString());
            return RenderedManifests.FromYaml(Kustomize.Render(scratch.FullName));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static string Merge(string name, IEnumerable<string> literals) =>
        $"  - name: {name}\n    namespace: {Namespace}\n    behavior: merge\n    literals:\n"
        + string.Join("\n", literals.Select(l => $"      - \"{l.Replace("\"", "\\\"", StringComparison.Ordinal)}\""));
}
