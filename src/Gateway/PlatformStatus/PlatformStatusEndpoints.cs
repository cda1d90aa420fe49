using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Admin;

namespace VoicePlatform.Gateway.PlatformStatus;

/// <summary>
/// <c>GET /v1/admin/platform</c>: what this Gateway can reach — each downstream service's gRPC health and the Router
/// instance it is routed to. Operators use it to check wiring; a failing dependency is reported, not thrown.
/// </summary>
public static class PlatformStatusEndpoints
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapPlatformStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/platform", async (GrpcClientFactory clients, RealtimeRouter.RealtimeRouterClient router, CancellationToken ct) =>
        {
            var checks = await Task.WhenAll(DownstreamServices.Names.Select(async name =>
            {
                try
                {
                    var response = await clients.HealthClient(name).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
                    return (name, status: response.Status.ToString(), error: (string?)null);
                }
                catch (RpcException ex)
                {
                    return (name, status: "Unreachable", error: ex.Status.Detail);
                }
            }));

            object? routerInstance = null;
            try
            {
                var info = await router.GetInstanceInfoAsync(new GetInstanceInfoRequest(), deadline: DateTime.UtcNow + Deadline, cancellationToken: ct);
                routerInstance = new { instance_id = info.InstanceId, active_sessions = info.ActiveSessions, providers = info.Providers };
            }
            catch (RpcException)
            {
                // Reported through the router's health entry above.
            }

            return Results.Ok(new
            {
                services = checks.ToDictionary(c => c.name, c => new { status = c.status, error = c.error }),
                router = routerInstance,
            });
        }).AddEndpointFilter<RequireOperatorKeyFilter>();
        return app;
    }
}
