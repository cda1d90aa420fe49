using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using VoicePlatform.TestSupport;

namespace VoicePlatform.ServiceDefaults.Tests;

public class HealthEndpointTests(BackingServicesFixture fixture) : IClassFixture<BackingServicesFixture>
{
    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> GrpcHealthAsync(Uri address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Grpc.Health.V1.Health.HealthClient(channel);
        var response = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        return response.Status;
    }

    [Fact]
    public async Task With_redis_down_health_is_503_and_names_redis_while_alive_stays_200()
    {
        // Short client timeouts only to keep the test fast: with the defaults each probe takes ~6 s to report the failure.
        await using var app = await TestWebApp.StartAsync($"127.0.0.1:{TestWebApp.ClosedPort()},connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000");

        var alive = await app.Http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var aliveReport = await ReadJsonAsync(alive);
        Assert.False(aliveReport.GetProperty("checks").TryGetProperty("redis", out _), "/alive must not depend on Redis");

        var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var report = await ReadJsonAsync(health);
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var redis = report.GetProperty("checks").GetProperty("redis");
        Assert.Equal("Unhealthy", redis.GetProperty("status").GetString());
        Assert.Equal("Redis is unreachable", redis.GetProperty("description").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("self").GetProperty("status").GetString());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await GrpcHealthAsync(app.GrpcAddress));
    }

    [Fact]
    public async Task With_redis_up_health_is_200_and_grpc_health_is_serving()
    {
        await using var app = await TestWebApp.StartAsync(fixture.Services.RedisConnectionString);

        var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await ReadJsonAsync(health);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/alive")).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await GrpcHealthAsync(app.GrpcAddress));
    }

    [Fact]
    public async Task Metrics_are_exposed_in_prometheus_text_format()
    {
        await using var app = await TestWebApp.StartAsync(fixture.Services.RedisConnectionString);
        // Generate some server traffic to be measured.
        await app.Http.GetAsync("/alive");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string body;
        HttpResponseMessage metrics;
        do
        {
            metrics = await app.Http.GetAsync("/metrics");
            body = await metrics.Content.ReadAsStringAsync();
        } while (!body.Contains("http_server_request_duration_seconds", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE ", body);
        Assert.Contains("http_server_request_duration_seconds_bucket{", body);
        Assert.Matches(@"(?m)^http_server_request_duration_seconds_count\{[^}]*http_route=""/alive""[^}]*\} \d+", body);
        // Runtime instrumentation is on.
        Assert.Contains("dotnet_", body);

        static async Task<bool> Delay() { await Task.Delay(200); return true; }
    }
}
