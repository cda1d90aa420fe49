using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VoicePlatform.Gateway.Tests.Tools;

public class ToolsApiTests(ToolsApiTestContext context) : IClassFixture<ToolsApiTestContext>
{
    private static object OrderTool(string name = "lookup_order", string url = "https://hooks.example.com/orders") => new
    {
        name,
        description = "Looks up an order by id.",
        parameters = new { type = "object", properties = new { order_id = new { type = "string" } }, required = new[] { "order_id" } },
        webhook_url = url,
        timeout_ms = 5000,
        safe_to_retry = true,
    };

    [Fact]
    public async Task Create_get_list_replace_and_delete_a_tool()
    {
        using var tenant = await context.NewTenantClientAsync();

        using var created = await tenant.PostAsJsonAsync("/v1/tools", OrderTool());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/tools/lookup_order", created.Headers.Location?.OriginalString);
        var tool = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("tool", tool.GetProperty("object").GetString());
        Assert.Equal("lookup_order", tool.GetProperty("name").GetString());
        Assert.Equal("object", tool.GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal(5000, tool.GetProperty("timeout_ms").GetInt32());
        Assert.True(tool.GetProperty("safe_to_retry").GetBoolean());
        Assert.False(tool.GetProperty("loggable").GetBoolean());
        Assert.True(tool.GetProperty("created_at").GetInt64() > 1_700_000_000);
        var secret = tool.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", secret);

        var fetched = await tenant.GetStringAsync("/v1/tools/lookup_order");
        Assert.DoesNotContain(secret, fetched);
        Assert.DoesNotContain("signing_secret", fetched);
        Assert.Equal("https://hooks.example.com/orders", JsonDocument.Parse(fetched).RootElement.GetProperty("webhook_url").GetString());

        var list = await tenant.GetFromJsonAsync<JsonElement>("/v1/tools");
        Assert.Equal("list", list.GetProperty("object").GetString());
        Assert.Equal("lookup_order", Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        Assert.DoesNotContain(secret, list.ToString());

        using var replaced = await tenant.PutAsJsonAsync("/v1/tools/lookup_order", new { description = "v2", webhook_url = "https://hooks.example.com/v2" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("v2", after.GetProperty("description").GetString());
        Assert.Equal(10_000, after.GetProperty("timeout_ms").GetInt32());

        using var rotated = await tenant.PostAsync("/v1/tools/lookup_order/rotate_secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signing_secret").GetString();
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(secret, newSecret);

        using var deleted = await tenant.DeleteAsync("/v1/tools/lookup_order");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var deletion = await deleted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(deletion.GetProperty("deleted").GetBoolean());
        await AssertErrorAsync(await tenant.GetAsync("/v1/tools/lookup_order"), HttpStatusCode.NotFound, "tool_not_found");
        await AssertErrorAsync(await tenant.DeleteAsync("/v1/tools/lookup_order"), HttpStatusCode.NotFound, "tool_not_found");
    }

    [Fact]
    public async Task A_duplicate_name_is_409()
    {
        using var tenant = await context.NewTenantClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await tenant.PostAsJsonAsync("/v1/tools", OrderTool("dup"))).StatusCode);
        var error = await AssertErrorAsync(await tenant.PostAsJsonAsync("/v1/tools", OrderTool("dup")), HttpStatusCode.Conflict, "tool_already_exists");
        Assert.Equal("name", error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("""{"name":"bad name","webhook_url":"https://hooks.example.com/x"}""", "name")]
    [InlineData("""{"name":"get_current_time","webhook_url":"https://hooks.example.com/x"}""", "name")]
    [InlineData("""{"name":"t","webhook_url":"http://hooks.example.com/x"}""", "webhook_url")]
    [InlineData("""{"name":"t","webhook_url":"https://169.254.169.254/latest"}""", "webhook_url")]
    [InlineData("""{"name":"t"}""", "webhook_url")]
    [InlineData("""{"name":"t","webhook_url":"https://hooks.example.com/x","parameters":{"type":"object","properties":{"a":{"type":"strin"}}}}""", "parameters")]
    [InlineData("""{"name":"t","webhook_url":"https://hooks.example.com/x","parameters":"a string"}""", "parameters")]
    [InlineData("""{"name":"t","webhook_url":"https://hooks.example.com/x","timeout_ms":120000}""", "timeout_ms")]
    public async Task Invalid_definitions_are_400_with_the_offending_param(string body, string param)
    {
        using var tenant = await context.NewTenantClientAsync();
        using var response = await tenant.PostAsync("/v1/tools", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("""{"name":5}""", "application/json")]
    [InlineData("name=t", "application/x-www-form-urlencoded")]
    public async Task Malformed_bodies_are_400_in_openai_shape(string body, string contentType)
    {
        using var tenant = await context.NewTenantClientAsync();
        using var response = await tenant.PostAsync("/v1/tools", new StringContent(body, Encoding.UTF8, contentType));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task Another_tenants_tool_is_404_and_never_listed()
    {
        using var owner = await context.NewTenantClientAsync("Owner");
        using var other = await context.NewTenantClientAsync("Other");
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/v1/tools", OrderTool("owned"))).StatusCode);

        await AssertErrorAsync(await other.GetAsync("/v1/tools/owned"), HttpStatusCode.NotFound, "tool_not_found");
        await AssertErrorAsync(await other.PutAsJsonAsync("/v1/tools/owned", OrderTool("owned")), HttpStatusCode.NotFound, "tool_not_found");
        await AssertErrorAsync(await other.DeleteAsync("/v1/tools/owned"), HttpStatusCode.NotFound, "tool_not_found");
        await AssertErrorAsync(await other.PostAsync("/v1/tools/owned/rotate_secret", null), HttpStatusCode.NotFound, "tool_not_found");
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/v1/tools")).GetProperty("data").EnumerateArray());

        // Same name is free for the other tenant, and the owner's tool is untouched.
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/v1/tools", OrderTool("owned", "https://other.example.com/"))).StatusCode);
        var mine = await owner.GetFromJsonAsync<JsonElement>("/v1/tools/owned");
        Assert.Equal("https://hooks.example.com/orders", mine.GetProperty("webhook_url").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/tools")]
    [InlineData("POST", "/v1/tools")]
    [InlineData("GET", "/v1/tools/x")]
    [InlineData("DELETE", "/v1/tools/x")]
    [InlineData("GET", "/v1/tools/settings")]
    public async Task Every_tools_endpoint_needs_a_tenant_key(string method, string path)
    {
        using var anonymous = context.Gateway.CreateClient();
        using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Settings_can_be_read_and_changed()
    {
        using var tenant = await context.NewTenantClientAsync();
        var initial = await tenant.GetFromJsonAsync<JsonElement>("/v1/tools/settings");
        Assert.Equal("tool_settings", initial.GetProperty("object").GetString());
        Assert.Equal(["end_session", "get_current_time"], initial.GetProperty("enabled_built_ins").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Empty(initial.GetProperty("default_tools").EnumerateArray());
        Assert.Equal(2, initial.GetProperty("available_built_ins").GetArrayLength());

        Assert.Equal(HttpStatusCode.Created, (await tenant.PostAsJsonAsync("/v1/tools", OrderTool())).StatusCode);
        using var set = await tenant.PutAsJsonAsync("/v1/tools/settings", new { enabled_built_ins = new[] { "end_session" }, default_tools = new[] { "lookup_order", "end_session" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        // A field left out keeps its value.
        using var partial = await tenant.PutAsJsonAsync("/v1/tools/settings", new { default_tools = new[] { "end_session" } });
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        var now = await tenant.GetFromJsonAsync<JsonElement>("/v1/tools/settings");
        Assert.Equal(["end_session"], now.GetProperty("enabled_built_ins").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["end_session"], now.GetProperty("default_tools").EnumerateArray().Select(e => e.GetString()));

        var error = await AssertErrorAsync(
            await tenant.PutAsJsonAsync("/v1/tools/settings", new { default_tools = new[] { "get_current_time" } }), HttpStatusCode.BadRequest, "invalid_value");
        Assert.Equal("default_tools", error.GetProperty("param").GetString());
        await AssertErrorAsync(
            await tenant.PutAsJsonAsync("/v1/tools/settings", new { enabled_built_ins = new[] { "make_coffee" } }), HttpStatusCode.BadRequest, "invalid_value");
    }

    [Fact]
    public async Task A_tool_cannot_be_named_settings()
    {
        using var tenant = await context.NewTenantClientAsync();
        await AssertErrorAsync(await tenant.PostAsJsonAsync("/v1/tools", OrderTool("settings")), HttpStatusCode.BadRequest, "invalid_value");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_tools_api()
    {
        using var anonymous = context.Gateway.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/tools", out var tools), paths.ToString());
        Assert.True(tools.TryGetProperty("post", out var create));
        Assert.True(tools.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/v1/tools/{name}", out var byName));
        foreach (var verb in new[] { "get", "put", "delete" }) Assert.True(byName.TryGetProperty(verb, out _), verb);
        Assert.True(paths.TryGetProperty("/v1/tools/settings", out var settings));
        Assert.True(settings.TryGetProperty("put", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/v1/admin"));

        var requestSchema = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString();
        Assert.Contains("ToolRequest", requestSchema);
        var responses = create.GetProperty("responses");
        Assert.Contains("CreatedToolResponse", responses.GetProperty("201").ToString());
        Assert.True(responses.TryGetProperty("409", out _));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var toolRequest = schemas.GetProperty("ToolRequest").GetProperty("properties");
        foreach (var field in new[] { "name", "description", "parameters", "webhook_url", "timeout_ms", "safe_to_retry", "loggable" })
            Assert.True(toolRequest.TryGetProperty(field, out _), field);
        Assert.Contains("60000", toolRequest.GetProperty("timeout_ms").GetProperty("description").GetString());
        Assert.Contains("integer", toolRequest.GetProperty("timeout_ms").GetProperty("type").ToString());
        Assert.True(schemas.TryGetProperty("ErrorResponse", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("tenant_api_key", out _));
    }

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.NotNull(error.GetProperty("type").GetString());
            return error.Clone();
        }
    }
}
