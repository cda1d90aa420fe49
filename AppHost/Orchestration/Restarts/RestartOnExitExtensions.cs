using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration.Restarts;

public static class RestartOnExitExtensions
{
    /// <summary>Started again when its process exits on its own, at most <paramref name="maxRestarts"/> times (<see cref="ExitedResourceRestarter"/>).</summary>
    public static IResourceBuilder<T> WithRestartOnExit<T>(this IResourceBuilder<T> builder, int maxRestarts) where T : IResource =>
        builder.WithAnnotation(new RestartOnExitAnnotation(maxRestarts), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>The resource's restart budget, or null when it is not restarted.</summary>
    public static RestartOnExitAnnotation? RestartPolicy(this IResource resource) =>
        resource.Annotations.OfType<RestartOnExitAnnotation>().SingleOrDefault();
}
