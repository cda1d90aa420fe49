using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VoicePlatform.EndToEnd.Tests.Realtime.Limits;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Routing;

/// <summary>The routes and experiments REST API through the Gateway, stored by the Router, tenant by tenant.</summary>
[Collection(PlatformCollection.Name)]
public class RoutingApiTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task A_tenant_creates_a_route_and_runs_an_experiment_on_it()
    {
        var tenant = await LimitedTenant.CreateAsync(platform, "routing-owner");
        using var http = tenant.Http();

        using var created = await http.PostAsync("/v1/routes", Json("""{"name":"support-voice","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief."}}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var route = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("route", "support-voice", "gpt-realtime-2"), (route.Str("object"), route.Str("name"), route.GetProperty("target").Str("model")));

        using var put = await http.PutAsync("/v1/routes/support-voice", Json("""{"target":{"fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var listed = await http.GetFromJsonAsync<JsonElement>("/v1/routes");
        var only = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.Equal(2, only.GetProperty("target").GetProperty("fallback").GetArrayLength());

        using var experiment = await http.PostAsync("/v1/experiments", Json("""
            { "name": "gemini-vs-gpt", "route": "support-voice",
              "arms": [ {"name": "control", "target": {"model": "gpt-realtime-2"}, "weight": 50},
                        {"name": "gemini",  "target": {"model": "gemini-3.1-flash-live", "session": {"audio": {"output": {"voice": "marin"}}}}, "weight": 50} ],
              "traffic_percent": 100, "subject": "user" }
            """));
        Assert.Equal(HttpStatusCode.Created, experiment.StatusCode);
        var id = (await experiment.Content.ReadFromJsonAsync<JsonElement>()).Str("id");
        using var started = await http.PostAsync($"/v1/experiments/{id}/start", null);
        Assert.Equal("running", (await started.Content.ReadFromJsonAsync<JsonElement>()).Str("status"));

        using var frozen = await http.PutAsync($"/v1/experiments/{id}", Json("""{"name":"gemini-vs-gpt","route":"support-voice","arms":[{"name":"a","target":"gpt-realtime-2","weight":90},{"name":"b","target":"gpt-realtime-2","weight":10}]}"""));
        Assert.Equal(HttpStatusCode.Conflict, frozen.StatusCode);
        using var inUse = await http.DeleteAsync("/v1/routes/support-voice");
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);

        var read = await http.GetFromJsonAsync<JsonElement>($"/v1/experiments/{id}");
        Assert.Equal(0, read.GetProperty("assignments").GetProperty("arms").GetProperty("control").GetInt64());
        Assert.False(read.GetProperty("assignments").GetProperty("sample_ratio").GetProperty("mismatch").GetBoolean());
    }

    [Fact]
    public async Task Another_tenants_routes_are_not_found_and_bad_bodies_name_the_field()
    {
        var owner = await LimitedTenant.CreateAsync(platform, "routing-a");
        var stranger = await LimitedTenant.CreateAsync(platform, "routing-b");
        using var ownerHttp = owner.Http();
        using var strangerHttp = stranger.Http();
        (await ownerHttp.PostAsync("/v1/routes", Json("""{"name":"private-route","target":"gemini-3.1-flash-live"}"""))).EnsureSuccessStatusCode();

        var ownerModels = await ownerHttp.GetFromJsonAsync<JsonElement>("/v1/models");
        var listed = Assert.Single(ownerModels.GetProperty("data").EnumerateArray(), m => m.Str("id") == "private-route");
        Assert.Equal(("model", "tenant", "gemini-3.1-flash-live"), (listed.Str("object"), listed.Str("owned_by"), listed.GetProperty("route").GetProperty("target").Str("model")));
        Assert.Contains(ownerModels.GetProperty("data").EnumerateArray(), m => m.Str("id") == "gpt-realtime-2");
        var strangerModels = await strangerHttp.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.DoesNotContain(strangerModels.GetProperty("data").EnumerateArray(), m => m.Str("id") == "private-route");

        using var hidden = await strangerHttp.GetAsync("/v1/routes/private-route");
        using var missing = await strangerHttp.GetAsync("/v1/routes/no-such-route");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (hidden.StatusCode, missing.StatusCode));
        Assert.Equal((await missing.Content.ReadAsStringAsync()).Replace("no-such-route", "X"), (await hidden.Content.ReadAsStringAsync()).Replace("private-route", "X"));

        using var shadow = await ownerHttp.PostAsync("/v1/routes", Json("""{"name":"gpt-realtime-2","target":"gemini-3.1-flash-live"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, shadow.StatusCode);
        var error = (await shadow.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(("invalid_value", "name"), (error.Str("code"), error.Str("param")));

        using var weights = await ownerHttp.PostAsync("/v1/experiments", Json("""{"name":"e","route":"private-route","arms":[{"name":"a","target":"gpt-realtime-2","weight":-1},{"name":"b","target":"gpt-realtime-2","weight":1}]}"""));
        var weightError = (await weights.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal((HttpStatusCode.BadRequest, "arms[0].weight"), (weights.StatusCode, weightError.Str("param")));

        using var notJson = await ownerHttp.PostAsync("/v1/routes", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));
        Assert.Equal("invalid_json", (await notJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").Str("code"));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
