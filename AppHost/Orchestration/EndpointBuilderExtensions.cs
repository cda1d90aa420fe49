using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

public static class EndpointBuilderExtensions
{
    /// <summary>
    /// An endpoint the process itself listens on, on a port chosen here, without DCP's proxy in front: the proxy
    /// accepts TCP even while the server behind it is down (health checks would lie), adds a hop to the realtime
    /// audio path, and our ports must be known while the model is built (endpoints.json, the Gateway on 5080).
    /// </summary>
    public static IResourceBuilder<T> WithFixedEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int port)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name, endpoint =>
        {
            endpoint.UriScheme = scheme;
            endpoint.Port = port;
            endpoint.TargetPort = port;
            endpoint.IsProxied = false;
            endpoint.TargetHost = "127.0.0.1"; // services bind loopback IPv4, and URLs handed out say so
        });
}
