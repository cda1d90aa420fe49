using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.Net.Client;
using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class PlatformHealthTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Every_service_and_emulator_reports_healthy_over_http()
    {
        using var http = new HttpClient();
        Assert.Equal(platform.Endpoints.Services.Count + platform.Endpoints.Emulators.Count, platform.Endpoints.Management.Count);
        foreach (var (name, url) in platform.Endpoints.Management)
        {
            using var ready = await http.GetAsync($"{url}/health");
            Assert.True(ready.IsSuccessStatusCode, $"{name}: {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
            using var alive = await http.GetAsync($"{url}/alive");
            Assert.True(alive.IsSuccessStatusCode, $"{name} /alive: {(int)alive.StatusCode}");
        }
    }

    [Fact]
    public async Task Metrics_and_health_are_served_on_the_management_port_only()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/metrics", "/health", "/alive" })
        {
            using var onPublicPort = await http.GetAsync($"{platform.Endpoints.Gateway}{path}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, onPublicPort.StatusCode);
            using var onManagementPort = await http.GetAsync($"{platform.Endpoints.Management["gateway"]}{path}");
            Assert.True(onManagementPort.IsSuccessStatusCode, $"{path} on the management port: {(int)onManagementPort.StatusCode}");
        }
        Assert.Contains("http_server_request_duration_seconds", await http.GetStringAsync($"{platform.Endpoints.Management["gateway"]}/metrics"));
        // The management port serves nothing else, whatever Host header a client sends.
        using var api = new HttpRequestMessage(HttpMethod.Get, $"{platform.Endpoints.Management["gateway"]}/v1/models");
        api.Headers.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.SendAsync(api)).StatusCode);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"{platform.Endpoints.Gateway}/metrics");
        spoofed.Headers.Host = new Uri(platform.Endpoints.Management["gateway"]).Authority;
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.SendAsync(spoofed)).StatusCode);
    }

    [Fact]
    public async Task Every_service_answers_grpc_health_with_serving()
    {
        foreach (var (name, url) in platform.Endpoints.Grpc)
        {
            using var channel = GrpcChannel.ForAddress(url);
            var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
            Assert.True(response.Status == HealthCheckResponse.Types.ServingStatus.Serving, $"{name}: {response.Status}");
        }
    }

    [Fact]
    public async Task Gateway_serves_tls_with_the_development_ca_and_the_dev_key_works()
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(platform.Endpoints.CaCertificate));
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    // Only a name mismatch or an untrusted root may be reported by the default policy; the custom chain decides the latter.
                    return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && chain.Build(new X509Certificate2(certificate));
                },
            },
        };
        using var https = new HttpClient(handler);
        https.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        using var response = await https.GetAsync($"{platform.Endpoints.GatewayTls}/v1/models");
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains("gpt-realtime-2", await response.Content.ReadAsStringAsync());
        Assert.True(File.Exists(platform.EndpointsFilePath));
    }
}
