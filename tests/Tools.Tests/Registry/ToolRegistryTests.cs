using System.Net;
using System.Text.Json;
using Grpc.Core;
using Npgsql;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Tools.Tests.Registry;

public class ToolRegistryTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>
{
    [Fact]
    public async Task ListTools_returns_the_built_ins_with_json_schema_parameters()
    {
        var response = await fixture.Client.ListToolsAsync(new ListToolsRequest { TenantId = Guid.NewGuid().ToString() });

        Assert.Equal(["end_session", "get_current_time"], response.Tools.Select(t => t.Name).Order());
        foreach (var tool in response.Tools)
        {
            Assert.True(tool.BuiltIn, $"{tool.Name} should be flagged built-in");
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            using var schema = JsonDocument.Parse(tool.ParametersJson);
            Assert.Equal("object", schema.RootElement.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Object, schema.RootElement.GetProperty("properties").ValueKind);
            if (schema.RootElement.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray())
                    Assert.True(schema.RootElement.GetProperty("properties").TryGetProperty(name.GetString()!, out _), $"{tool.Name}: required '{name}' is not a property");
            }
        }
        var time = response.Tools.Single(t => t.Name == "get_current_time");
        using var timeSchema = JsonDocument.Parse(time.ParametersJson);
        Assert.Equal("timezone", Assert.Single(timeSchema.RootElement.GetProperty("required").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_tenants_registered_tool_is_listed_for_that_tenant_only()
    {
        var owner = Guid.NewGuid();
        var other = Guid.NewGuid();
        const string parameters = """{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}""";
        // Stands in for the registry API that will write these rows.
        await using (var connection = new NpgsqlConnection(fixture.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO tools (tenant_id, name, description, parameters, webhook_url)
                VALUES (@tenant, 'lookup_order', 'Looks up an order by id.', @parameters::jsonb, 'https://example.test/hooks/order')
                """, connection);
            insert.Parameters.AddWithValue("tenant", owner);
            insert.Parameters.AddWithValue("parameters", parameters);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        var mine = await fixture.Client.ListToolsAsync(new ListToolsRequest { TenantId = owner.ToString() });
        var tool = Assert.Single(mine.Tools, t => t.Name == "lookup_order");
        Assert.False(tool.BuiltIn);
        Assert.Equal("Looks up an order by id.", tool.Description);
        using (var expected = JsonDocument.Parse(parameters))
        using (var actual = JsonDocument.Parse(tool.ParametersJson))
            Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), tool.ParametersJson);
        Assert.Equal(3, mine.Tools.Count);

        var theirs = await fixture.Client.ListToolsAsync(new ListToolsRequest { TenantId = other.ToString() });
        Assert.DoesNotContain(theirs.Tools, t => t.Name == "lookup_order");
        Assert.Equal(2, theirs.Tools.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    [InlineData("' OR 1=1 --")]
    public async Task An_invalid_tenant_id_is_rejected_as_invalid_argument(string tenantId)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Client.ListToolsAsync(new ListToolsRequest { TenantId = tenantId }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Health_and_liveness_endpoints_report_healthy()
    {
        using var http = fixture.Factory.CreateClient();

        var alive = await http.GetAsync("/alive");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        // Ready once the database answers and the bus has connected (it starts in the background).
        var health = await Poll.UntilAsync(() => http.GetAsync("/health"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.True(checks.TryGetProperty("postgres-postgres-tools", out var postgres), checks.ToString());
        Assert.Equal("Healthy", postgres.GetProperty("status").GetString());
    }
}
