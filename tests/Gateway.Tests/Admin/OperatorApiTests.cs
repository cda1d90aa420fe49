using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace VoicePlatform.Gateway.Tests.Admin;

public class OperatorApiTests(GatewayTestContext context) : IClassFixture<GatewayTestContext>
{
    [Fact]
    public async Task Operator_api_requires_the_operator_key()
    {
        using var anonymous = context.First.CreateClient();
        using var noKey = await anonymous.GetAsync("/v1/admin/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-operator-key");
        using var wrongKey = await anonymous.GetAsync("/v1/admin/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Fact]
    public async Task A_tenant_key_is_not_an_operator_key()
    {
        var (_, _, apiKey) = await context.CreateTenantWithKeyAsync();
        using var tenant = GatewayTestContext.Tenant(context.First, apiKey);
        using var response = await tenant.GetAsync("/v1/admin/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Creates_lists_and_finds_tenants()
    {
        using var admin = context.Operator(context.First);
        using var created = await admin.PostAsJsonAsync("/v1/admin/tenants", new { name = "  Globex  " });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var tenant = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = tenant.GetProperty("id").GetString()!;
        Assert.Equal("Globex", tenant.GetProperty("name").GetString());
        Assert.Equal($"/v1/admin/tenants/{id}", created.Headers.Location?.OriginalString);

        var list = await admin.GetFromJsonAsync<JsonElement>("/v1/admin/tenants");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);

        // The other replica sees it too: state is in PostgreSQL, not in memory.
        using var otherAdmin = context.Operator(context.Second);
        var found = await otherAdmin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{id}");
        Assert.Equal("Globex", found.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\":\"   \"}")]
    [InlineData("{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}")]
    public async Task Invalid_tenant_names_are_validation_problems(string body)
    {
        using var admin = context.Operator(context.First);
        using var response = await admin.PostAsync("/v1/admin/tenants", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Unknown_tenant_is_404_for_get_and_key_issuing()
    {
        using var admin = context.Operator(context.First);
        var unknown = Guid.NewGuid();
        using var get = await admin.GetAsync($"/v1/admin/tenants/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var issue = await admin.PostAsJsonAsync($"/v1/admin/tenants/{unknown}/keys", new { name = "x" });
        Assert.Equal(HttpStatusCode.NotFound, issue.StatusCode);
        using var revoke = await admin.DeleteAsync("/v1/admin/keys/0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
    }

    [Fact]
    public async Task Key_is_shown_once_and_stored_only_as_a_hash()
    {
        var (tenantId, keyId, apiKey) = await context.CreateTenantWithKeyAsync();
        using var admin = context.Operator(context.First);
        var keys = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/tenants/{tenantId}/keys");
        var listed = Assert.Single(keys.GetProperty("data").EnumerateArray());
        Assert.Equal(keyId, listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(apiKey, listed.GetRawText());

        await using var connection = new NpgsqlConnection(context.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_to_json(k)::text FROM api_keys k WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", keyId);
        var row = (string)(await command.ExecuteScalarAsync())!;
        var secret = apiKey[(apiKey.LastIndexOf('_') + 1)..];
        Assert.DoesNotContain(secret, row);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(secret)), row);
    }
}
