using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime.Limits;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>A tenant's routes and experiments through the REST API, and realtime URIs that name them.</summary>
public static class TenantRouting
{
    /// <summary>The realtime endpoint of <paramref name="gateway"/> for <paramref name="model"/> (a model or route name).</summary>
    public static Uri RealtimeUri(string gateway, string model, string? query = null) =>
        new($"{gateway.Replace("http://", "ws://")}/v1/realtime?model={Uri.EscapeDataString(model)}{(query is null ? "" : "&" + query)}");

    public static async Task CreateRouteAsync(LimitedTenant tenant, string json)
    {
        using var http = tenant.Http();
        using var created = await http.PostAsync("/v1/routes", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    /// <summary>Creates the experiment and starts it; returns its id.</summary>
    public static async Task<string> StartExperimentAsync(LimitedTenant tenant, string json)
    {
        using var http = tenant.Http();
        using var created = await http.PostAsync("/v1/experiments", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).Str("id");
        (await http.PostAsync($"/v1/experiments/{id}/start", null)).EnsureSuccessStatusCode();
        return id;
    }
}
