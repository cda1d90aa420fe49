using System.Net;
using Grpc.Core;
using Microsoft.Extensions.ServiceDiscovery;
using VoicePlatform.Contracts.SessionSockets;

namespace VoicePlatform.Gateway.RouterSessions;

/// <summary>
/// Session streams as WebSockets to the Routers' HTTP/1.1 endpoints (<see cref="SessionSocket"/>). Each stream picks the
/// next Router instance that discovery knows (<c>services:router:http</c>), round robin, as the gRPC client's discovery
/// does for each call.
/// </summary>
public sealed class SocketRouterSessionStreams(ServiceEndpointResolver resolver, ILogger<SocketRouterSessionStreams> logger) : IRouterSessionStreams, IDisposable
{
    private const string RouterService = "http://_http.router";

    // A dead Router's address may swallow connection attempts instead of refusing them (a deleted pod's IP): fail fast
    // so the session re-attaches to another instance within the failover budget (as the gRPC channel does).
    private readonly HttpMessageInvoker _connections = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1), UseProxy = false });
    private int _next;

    public IRouterSessionCall Open(CancellationToken cancellationToken) => new SocketRouterSessionCall(PickAsync, _connections, cancellationToken);

    public void Dispose() => _connections.Dispose();

    private async ValueTask<Uri> PickAsync(CancellationToken cancellationToken)
    {
        var endpoints = (await resolver.GetEndpointsAsync(RouterService, cancellationToken)).Endpoints;
        if (endpoints.Count == 0)
            throw new RpcException(new Status(StatusCode.Unavailable, "No Router instance is known (service discovery: services:router:http)."));
        var picked = endpoints[(int)((uint)Interlocked.Increment(ref _next) % (uint)endpoints.Count)].EndPoint;
        var address = picked switch
        {
            UriEndPoint uri => new UriBuilder(uri.Uri) { Scheme = uri.Uri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = SessionSocket.Path }.Uri,
            IPEndPoint ip => new Uri($"ws://{ip}{SessionSocket.Path}"),
            DnsEndPoint dns => new Uri($"ws://{dns.Host}:{dns.Port}{SessionSocket.Path}"),
            _ => null,
        };
        if (address is null)
        {
            logger.LogError("A Router endpoint of an unknown kind was discovered: {Endpoint}", picked);
            throw new RpcException(new Status(StatusCode.Unavailable, $"The Router endpoint '{picked}' cannot be dialled."));
        }
        return address;
    }
}
