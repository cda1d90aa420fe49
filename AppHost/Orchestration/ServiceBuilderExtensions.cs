using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using VoicePlatform.AppHost.Orchestration.Health;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Orchestration;

public static class ServiceBuilderExtensions
{
    /// <summary>
    /// One of our services: endpoint <c>http</c> (HTTP/1.1: REST, WebSockets), <c>grpc</c> (HTTP/2; services with a
    /// gRPC API) and <c>management</c> (/health, /alive, /metrics), each told to Kestrel through configuration; healthy
    /// when /health answers on the management port; telemetry to the dashboard.
    /// </summary>
    public static IResourceBuilder<ServiceResource> AddService(this IDistributedApplicationBuilder builder, string name, string assemblyPath,
        int? httpPort = null, bool grpc = true)
    {
        if (!File.Exists(assemblyPath))
            throw new MissingPrerequisiteException($"{name}: {assemblyPath} does not exist. Build the solution first (dotnet build VoicePlatform.sln).");
        var http = httpPort ?? FreePorts.Next();
        var management = FreePorts.Next();
        var service = builder.AddResource(new ServiceResource(name, assemblyPath))
            .WithArgs(assemblyPath)
            .WithFixedEndpoint("http", "http", http)
            .WithFixedEndpoint("management", "http", management)
            .WithEnvironment("Kestrel__Endpoints__http__Url", Loopback("http", http))
            .WithEnvironment("Kestrel__Endpoints__http__Protocols", "Http1")
            .WithEnvironment("Management__Port", management.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Management__Address", "127.0.0.1")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithPromptHealthCheck($"{name}-health", new HttpOkHealthCheck($"{Loopback("http", management)}/health"))
            .WithOtlpExporter();
        if (grpc)
        {
            var grpcPort = FreePorts.Next();
            service.WithFixedEndpoint("grpc", "http", grpcPort)
                .WithEnvironment("Kestrel__Endpoints__grpc__Url", Loopback("http", grpcPort))
                .WithEnvironment("Kestrel__Endpoints__grpc__Protocols", "Http2");
        }
        return service;
    }

    /// <summary>A plain string (not a ReferenceExpression): the port is fixed already.</summary>
    public static string Loopback(string scheme, int port) => $"{scheme}://127.0.0.1:{port}";

    /// <summary>The URL of one of the resource's endpoints (its ports are fixed when the model is built).</summary>
    public static string Url<T>(this IResourceBuilder<T> resource, string endpoint) where T : IResourceWithEndpoints
    {
        var annotation = resource.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == endpoint);
        return $"{annotation.UriScheme}://127.0.0.1:{annotation.Port}";
    }
}
