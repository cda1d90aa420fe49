namespace VoicePlatform.Infra.Tests.Rendering;

/// <summary>
/// What the tests render: each shipped overlay, and the base with the optional components no shipped overlay uses
/// (KEDA, the Ingress alternative), composed in a scratch kustomization so they are validated too.
/// </summary>
public sealed record Overlay(string Name, Func<string> Render)
{
    public static readonly Overlay Dev = new("dev", () => Kustomize.Render(Path.Combine(RepositoryPaths.K8s, "overlays", "dev")));

    public static readonly Overlay Production = new("production", () => Kustomize.Render(Path.Combine(RepositoryPaths.K8s, "overlays", "production")));

    public static readonly Overlay OptionalComponents = new("base+keda+ingress", RenderOptionalComponents);

    public static IReadOnlyList<Overlay> All { get; } = [Dev, Production, OptionalComponents];

    public static Overlay Named(string name) => All.Single(overlay => overlay.Name == name);

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var overlay in All) data.Add(overlay.Name);
            return data;
        }
    }

    public override string ToString() => Name;

    private static string RenderOptionalComponents()
    {
        // Kustomize accepts only relative paths to other kustomizations, so the scratch one names them relative to itself.
        var scratch = Directory.CreateTempSubdirectory("voiceplatform-kustomize-");
        try
        {
            string Relative(string path) => Path.GetRelativePath(scratch.FullName, Path.Combine(RepositoryPaths.K8s, path));
            File.WriteAllText(Path.Combine(scratch.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {Relative("base")}
                components:
                  - {Relative("components/keda")}
                  - {Relative("components/ingress")}
                """);
            return Kustomize.Render(scratch.FullName);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
