using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using VoicePlatform.ServiceDefaults.Integrations.Redis;

namespace VoicePlatform.ServiceDefaults.Tests;

/// <summary>A minimal service built the way every service builds itself (AddServiceDefaults, AddRedis, MapDefaultEndpoints), on Kestrel.</summary>
internal sealed class TestWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebApp(WebApplication app, Uri httpAddress, Uri grpcAddress)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        Http = new HttpClient { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The HTTP/2 (cleartext, prior knowledge) endpoint for gRPC.</summary>
    public Uri GrpcAddress { get; }

    public HttpClient Http { get; }

    public static async Task<TestWebApp> StartAsync(string redisConnectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "VoicePlatform.ServiceDefaults.Tests", EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:redis"] = redisConnectionString;
        // Like AppHost runs every service: an HTTP/1.1 endpoint and a cleartext HTTP/2 endpoint for gRPC.
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http1; http = listen; });
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http2; grpc = listen; });
        });
        builder.AddServiceDefaults();
        builder.AddRedis();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        // Kestrel writes the ports it bound back into the listen options.
        return new TestWebApp(app, new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}"), new Uri($"http://127.0.0.1:{grpc!.IPEndPoint!.Port}"));
    }

    /// <summary>A loopback port nobody listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
