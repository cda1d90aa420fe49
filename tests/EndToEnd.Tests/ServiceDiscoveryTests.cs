using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.TestSupport;

namespace VoicePlatform.EndToEnd.Tests;

[Collection(PlatformCollection.Name)]
public class ServiceDiscoveryTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Gateway_reaches_every_downstream_service_over_grpc_through_service_discovery()
    {
        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.OperatorKey);
        var status = await http.GetFromJsonAsync<JsonElement>("/v1/admin/platform");
        foreach (var service in new[] { "router", "tools", "transcripts", "billing", "insights" })
        {
            var entry = status.GetProperty("services").GetProperty(service);
            Assert.True(entry.GetProperty("status").GetString() == "Serving", $"{service}: {entry}");
        }
        Assert.StartsWith("router-", status.GetProperty("router").GetProperty("instance_id").GetString());
    }
}
