using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// One of our .NET services or emulators, run from its build output (<c>dotnet &lt;assembly&gt;.dll</c>) rather than
/// through <c>dotnet run</c>: no MSBuild evaluation per start (seconds each on a small machine), and the resource's
/// process id is the service's own. <c>WithReference(service)</c> gives others <c>services__{name}__{endpoint}__0</c>.
/// </summary>
public sealed class ServiceResource(string name, string assemblyPath)
    : ExecutableResource(name, "dotnet", Path.GetDirectoryName(assemblyPath)!), IResourceWithServiceDiscovery
{
    public string AssemblyPath { get; } = assemblyPath;
}
