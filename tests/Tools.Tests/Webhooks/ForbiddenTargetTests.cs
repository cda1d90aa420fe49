using Grpc.Core;
using Npgsql;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.Tools.Tests.Webhooks;

/// <summary>A Tools instance with no allow-list: the SSRF policy as it is in production.</summary>
public sealed class NoAllowListToolsFixture : ToolsServiceFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();
}

public class ForbiddenTargetTests(NoAllowListToolsFixture fixture) : IClassFixture<NoAllowListToolsFixture>
{
    [Fact]
    public async Task A_webhook_on_loopback_is_refused_without_the_allow_list_and_never_called()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/hook", "{}");
        var tenant = Guid.NewGuid();
        // "localhost" passes registration (a name, https) but resolves to loopback when called.
        await fixture.RegisterAsync(tenant, "sneaky", $"https://localhost:{server.BaseAddress.Port}/hook");

        var result = await fixture.ExecuteAsync(tenant, "sneaky", """{"order_id":"1"}""");

        Assert.Equal(ToolOutcome.ForbiddenTarget, result.Outcome);
        Assert.Equal(0, result.Attempts);
        Assert.Contains("forbidden_target", result.OutputJson);
        Assert.Empty(server.Received("/hook"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/hook")]
    [InlineData("https://127.0.0.1:{port}/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://[::ffff:192.168.1.1]/hook")]
    public async Task Literal_forbidden_addresses_are_rejected_at_registration(string url)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            fixture.RegisterAsync(Guid.NewGuid(), "t", url.Replace("{port}", "8080")));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("webhook_url", error.Trailers.GetValue("param"));
    }

    /// <summary>
    /// Rows that predate a policy change (written directly here): the call-time check refuses them before any
    /// connection is attempted, so no packet leaves for these addresses.
    /// </summary>
    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("http://127.0.0.1:9/hook")]
    public async Task Stored_tools_pointing_at_forbidden_addresses_are_refused_at_call_time(string url)
    {
        var tenant = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(fixture.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO tools (tenant_id, name, description, parameters, webhook_url)
                VALUES (@tenant, 'legacy', '', '{"type":"object"}'::jsonb, @url)
                """, connection);
            insert.Parameters.AddWithValue("tenant", tenant);
            insert.Parameters.AddWithValue("url", url);
            await insert.ExecuteNonQueryAsync();
        }

        var result = await fixture.ExecuteAsync(tenant, "legacy", "{}");

        Assert.Equal(ToolOutcome.ForbiddenTarget, result.Outcome);
        Assert.Equal(0, result.Attempts);
    }
}
