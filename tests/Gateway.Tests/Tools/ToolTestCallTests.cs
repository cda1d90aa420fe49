using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.Gateway.Tests.Tools;

/// <summary><c>POST /v1/tools/{name}/test</c>: a tool runs as a session's call would, and the caller sees what the model would get.</summary>
public class ToolTestCallTests(ToolsApiTestContext context) : IClassFixture<ToolsApiTestContext>
{
    private static object Tool(string name, string url) => new
    {
        name,
        description = "Looks up an order by id.",
        parameters = new { type = "object", properties = new { order_id = new { type = "string" } }, required = new[] { "order_id" } },
        webhook_url = url,
        timeout_ms = 5000,
    };

    [Fact]
    public async Task A_test_call_reaches_the_webhook_signed_with_the_arguments_and_returns_its_answer()
    {
        using var tenant = await context.NewTenantClientAsync();
        var path = $"/orders-{Guid.NewGuid():N}";
        context.Webhooks.RespondJson(path, """{"status":"shipped","eta":"2026-12-09"}""");
        (await tenant.PostAsJsonAsync("/v1/tools", Tool("lookup_order", context.Webhooks.Url(path)))).EnsureSuccessStatusCode();

        using var response = await tenant.PostAsJsonAsync("/v1/tools/lookup_order/test", new { arguments = new { order_id = "A-17" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", result.GetProperty("status").GetString());
        Assert.Equal("ok", result.GetProperty("outcome").GetString());
        Assert.Equal("shipped", result.GetProperty("output").GetProperty("status").GetString());
        Assert.Equal(200, result.GetProperty("http_status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("error").ValueKind);
        Assert.True(result.GetProperty("duration_ms").GetInt64() >= 0);

        var received = Assert.Single(context.Webhooks.Received(path));
        var body = JsonDocument.Parse(received.BodyText).RootElement;
        Assert.Contains("A-17", received.BodyText);
        Assert.StartsWith("test_", body.GetProperty("call_id").GetString());
        Assert.True(received.Headers.Keys.Any(h => h.Contains("signature", StringComparison.OrdinalIgnoreCase)), "the webhook call is signed as in a session");
    }

    [Fact]
    public async Task A_failing_webhook_is_a_result_with_the_error_the_model_would_see_not_an_http_error()
    {
        using var tenant = await context.NewTenantClientAsync();
        var path = $"/broken-{Guid.NewGuid():N}";
        context.Webhooks.RespondJson(path, """{"oops":true}""", status: 500);
        (await tenant.PostAsJsonAsync("/v1/tools", Tool("broken_tool", context.Webhooks.Url(path)))).EnsureSuccessStatusCode();

        using var response = await tenant.PostAsJsonAsync("/v1/tools/broken_tool/test", new { arguments = new { order_id = "1" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("error", result.GetProperty("status").GetString());
        Assert.Equal("webhook_error", result.GetProperty("outcome").GetString());
        Assert.Equal(500, result.GetProperty("http_status").GetInt32());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("error").GetString()));
        Assert.Equal("webhook_error", result.GetProperty("output").GetProperty("error").GetString());
    }

    [Fact]
    public async Task Arguments_that_do_not_match_the_schema_are_reported_without_calling_the_webhook()
    {
        using var tenant = await context.NewTenantClientAsync();
        var path = $"/strict-{Guid.NewGuid():N}";
        context.Webhooks.RespondJson(path, "{}");
        (await tenant.PostAsJsonAsync("/v1/tools", Tool("strict_tool", context.Webhooks.Url(path)))).EnsureSuccessStatusCode();

        var result = await (await tenant.PostAsJsonAsync("/v1/tools/strict_tool/test", new { arguments = new { } })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("invalid_arguments", result.GetProperty("outcome").GetString());
        Assert.Empty(context.Webhooks.Received(path));
    }

    [Fact]
    public async Task Another_tenants_tool_is_404_like_a_missing_one_and_its_webhook_is_not_called()
    {
        using var owner = await context.NewTenantClientAsync("Owner");
        using var other = await context.NewTenantClientAsync("Other");
        var path = $"/private-{Guid.NewGuid():N}";
        context.Webhooks.RespondJson(path, "{}");
        (await owner.PostAsJsonAsync("/v1/tools", Tool("private_tool", context.Webhooks.Url(path)))).EnsureSuccessStatusCode();

        using var foreign = await other.PostAsJsonAsync("/v1/tools/private_tool/test", new { arguments = new { order_id = "1" } });
        using var missing = await other.PostAsJsonAsync("/v1/tools/no_such_tool/test", new { arguments = new { order_id = "1" } });

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("tool_not_found", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(context.Webhooks.Received(path));
    }

    [Theory]
    [InlineData("{\"arguments\":[1,2]}")]
    [InlineData("{\"arguments\":\"order 1\"}")]
    [InlineData("not json")]
    public async Task Arguments_must_be_a_json_object(string body)
    {
        using var tenant = await context.NewTenantClientAsync();
        using var response = await tenant.PostAsync("/v1/tools/anything/test", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("type").GetString());
    }
}
