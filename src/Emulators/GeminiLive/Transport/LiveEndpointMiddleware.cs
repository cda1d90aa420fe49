using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.GeminiLive.Auth;
using VoicePlatform.Emulators.GeminiLive.Configuration;
using VoicePlatform.Emulators.GeminiLive.Sessions;
using VoicePlatform.Emulators.GeminiLive.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>Accepts Live WebSocket upgrades on the real paths and hands each socket to a LiveConnection.</summary>
internal sealed class LiveEndpointMiddleware(
    RequestDelegate next,
    IOptionsMonitor<GeminiEmulatorOptions> options,
    SessionRegistry sessions,
    EphemeralTokenStore tokens,
    AccessTokenStore accessTokens,
    ConnectionCounter counter,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("VoicePlatform.Emulators.GeminiLive.Live");

    public async Task InvokeAsync(HttpContext context)
    {
        var route = LiveRoute.Match(context.Request.Path.Value);
        if (route is null)
        {
            await next(context);
            return;
        }

        var current = options.CurrentValue;
        var versions = route.Surface == ApiSurface.Vertex ? current.Vertex.EffectiveApiVersions
            : route.Constrained ? current.EffectiveConstrainedApiVersions
            : current.EffectiveApiVersions;
        // A wrong API version is reported like a wrong model: 1008 after setup (livekit's hint).
        route = route with { VersionServed = versions.Contains(route.ApiVersion, StringComparer.Ordinal) };

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = "Request must be a WebSocket upgrade.", status = "INVALID_ARGUMENT" } });
            return;
        }

        var number = counter.Next();
        var faulted = current.Faults.FaultedConnections <= 0 || number <= current.Faults.FaultedConnections;
        if (faulted && current.Faults.RefuseConnections)
        {
            context.Response.StatusCode = current.Faults.RefuseStatusCode;
            return;
        }

        LiveAuth auth;
        if (route.Surface == ApiSurface.Vertex)
        {
            // Vertex refuses a missing, unknown or expired credential at the upgrade (HTTP 401), whatever BadKeyRejection says.
            (var vertexAuth, var reason) = VertexAuthenticator.Authenticate(context, current, accessTokens);
            if (vertexAuth is null)
            {
                await VertexAuthenticator.RejectAsync(context, reason);
                return;
            }

            auth = vertexAuth;
        }
        else
        {
            auth = LiveAuthenticator.Authenticate(context, route, current, tokens);
            if (!auth.Valid && current.BadKeyRejection == BadKeyRejection.HttpStatus)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new LiveConnection(socket, route, auth, current, faulted, sessions, tokens, time, _logger);
        await connection.RunAsync(context.RequestAborted);
    }
}
