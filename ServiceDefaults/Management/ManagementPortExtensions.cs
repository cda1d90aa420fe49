using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VoicePlatform.ServiceDefaults.Management;

/// <summary>
/// The management port: Kestrel listens on it besides the ports a service configures (Kestrel:Endpoints), and a
/// middleware keeps management endpoints and the rest apart by the port a request arrived on. The connection's local
/// port is checked, not the Host header, which a client chooses.
/// </summary>
public static class ManagementPortExtensions
{
    public static ManagementOptions ReadManagementOptions(this IConfiguration configuration) =>
        configuration.GetSection(ManagementOptions.SectionName).Get<ManagementOptions>() ?? new ManagementOptions();

    internal static void AddManagementPort(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.ReadManagementOptions();
        if (options.Port <= 0) return;
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            void Http1(ListenOptions listen) => listen.Protocols = HttpProtocols.Http1;
            if (options.Address is "*" or "") kestrel.ListenAnyIP(options.Port, Http1);
            else kestrel.Listen(IPAddress.Parse(options.Address), options.Port, Http1);
        });
    }

    /// <summary>
    /// With a management port: management endpoints answer only there and everything else answers only elsewhere
    /// (404 otherwise, as for a route that does not exist). Runs after routing, which WebApplication does first.
    /// </summary>
    internal static void UseManagementPortSeparation(this WebApplication app)
    {
        var port = app.Configuration.ReadManagementOptions().Port;
        if (port <= 0) return;
        app.Use((context, next) =>
        {
            var isManagementEndpoint = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpointMetadata>() is not null;
            var onManagementPort = context.Connection.LocalPort == port;
            if (isManagementEndpoint == onManagementPort) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
