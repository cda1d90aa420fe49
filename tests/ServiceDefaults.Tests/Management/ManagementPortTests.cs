using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VoicePlatform.ServiceDefaults.Tests.Management;

/// <summary>With <c>Management:Port</c>, /health, /alive and /metrics live on that port only and the API on the others.</summary>
public class ManagementPortTests
{
    [Fact]
    public async Task Management_endpoints_answer_on_the_management_port_only_and_the_api_elsewhere_only()
    {
        var managementPort = TestWebApp.ClosedPort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "VoicePlatform.ServiceDefaults.Tests", EnvironmentName = "Development" });
        builder.Configuration["Management:Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Management:Address"] = "127.0.0.1";
        ListenOptions? publicListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http1; publicListener = listen; }));
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/v1/hello", () => "hello");
        await app.StartAsync();

        using var http = new HttpClient();
        var publicUrl = $"http://127.0.0.1:{publicListener!.IPEndPoint!.Port}";
        var managementUrl = $"http://127.0.0.1:{managementPort}";
        foreach (var path in new[] { "/health", "/alive", "/metrics" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(publicUrl + path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(managementUrl + path)).StatusCode);
        }
        Assert.Equal("hello", await http.GetStringAsync(publicUrl + "/v1/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(managementUrl + "/v1/hello")).StatusCode);

        // The Host header is the client's to choose; the port a request arrived on is not.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, publicUrl + "/metrics");
        spoofed.Headers.Host = $"127.0.0.1:{managementPort}";
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(spoofed)).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Without_a_management_port_the_endpoints_are_on_every_port()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "VoicePlatform.ServiceDefaults.Tests", EnvironmentName = "Development" });
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => { listen.Protocols = HttpProtocols.Http1; listener = listen; }));
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{listener!.IPEndPoint!.Port}/metrics")).StatusCode);
        await app.StopAsync();
    }
}
