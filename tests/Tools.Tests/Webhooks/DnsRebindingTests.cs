using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;
using VoicePlatform.Tools.Webhooks;

namespace VoicePlatform.Tools.Tests.Webhooks;

/// <summary>A Tools instance with the production SSRF policy (no allow-list) whose DNS is a <see cref="ScriptedHostResolver"/>.</summary>
public sealed class ScriptedDnsToolsFixture : ToolsServiceFixture
{
    public ScriptedHostResolver Resolver { get; } = new();

    /// <summary>The usual test settings (fast circuit breaker) without the allow-list.</summary>
    protected override IReadOnlyDictionary<string, string> Settings =>
        base.Settings.Where(setting => !setting.Key.StartsWith("Tools:Webhooks:AllowedTargets", StringComparison.Ordinal)).ToDictionary();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IWebhookHostResolver>(Resolver);
}

public class DnsRebindingTests(ScriptedDnsToolsFixture fixture) : IClassFixture<ScriptedDnsToolsFixture>
{
    /// <summary>A documentation address (TEST-NET-3): public as far as the policy is concerned, routed nowhere.</summary>
    private static readonly IPAddress PublicAddress = IPAddress.Parse("203.0.113.10");

    /// <summary>
    /// DNS rebinding: the name answers a public address to the call-time check in WebhookInvoker, then loopback when
    /// the connection is made. Only the connect-time check (WebhookHttpClient's ConnectCallback) stands in the way.
    /// </summary>
    [Fact]
    public async Task A_name_that_rebinds_to_loopback_after_the_call_time_check_is_refused_when_connecting()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/hook", "{}");
        var host = $"rebind-{Guid.NewGuid():N}.example";
        fixture.Resolver.Script(host, [PublicAddress], [IPAddress.Loopback]);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "rebinding", $"https://{host}:{server.BaseAddress.Port}/hook");

        var result = await fixture.ExecuteAsync(tenant, "rebinding", """{"order_id":"1"}""");

        Assert.Equal(ToolOutcome.ForbiddenTarget, result.Outcome);
        Assert.Contains("forbidden_target", result.OutputJson);
        Assert.Contains("127.0.0.1", result.ErrorMessage);
        // The call-time check passed (an attempt was made) and the connection looked the name up again.
        Assert.Equal(1, result.Attempts);
        Assert.Equal(2, fixture.Resolver.Lookups(host));
        Assert.Empty(server.Received("/hook"));
    }

    /// <summary>
    /// The same refusal is not a failure of the endpoint: more refusals than the circuit's minimum throughput (with a
    /// failure ratio of 1) leave the circuit closed, so every call is still checked and refused as forbidden_target.
    /// </summary>
    [Fact]
    public async Task Connect_time_refusals_never_open_the_circuit()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        var host = $"rebind-{Guid.NewGuid():N}.example";
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "rebinding", $"https://{host}:{server.BaseAddress.Port}/hook");

        for (var i = 0; i < ToolsServiceFixture.CircuitMinimumThroughput + 1; i++)
        {
            fixture.Resolver.Script(host, [PublicAddress], [IPAddress.Loopback]);
            var result = await fixture.ExecuteAsync(tenant, "rebinding", """{"order_id":"1"}""");
            Assert.Equal(ToolOutcome.ForbiddenTarget, result.Outcome);
        }
        Assert.Empty(server.Received("/hook"));
    }
}
