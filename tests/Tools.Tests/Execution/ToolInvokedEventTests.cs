using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.Tools.Tests.Execution;

public class ToolInvokedEventTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>, IAsyncLifetime
{
    private ToolInvokedListener _listener = null!;

    public async Task InitializeAsync()
    {
        await fixture.WaitUntilHealthyAsync();
        _listener = await ToolInvokedListener.StartAsync();
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    [Fact]
    public async Task A_webhook_call_publishes_ToolInvoked_without_arguments_when_the_tool_is_not_loggable()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/secret", """{"balance":1200}""");
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "account_balance", server.Url("/secret"), loggable: false);

        var result = await fixture.ExecuteAsync(tenant, "account_balance", """{"order_id":"card 4111 1111"}""", callId: "call_private");
        var invoked = await _listener.WaitForCallAsync("call_private", TimeSpan.FromSeconds(20));

        Assert.NotEqual(Guid.Empty, invoked.EventId);
        Assert.Equal(tenant, invoked.TenantId);
        Assert.Equal("sess_test", invoked.SessionId);
        Assert.Equal("account_balance", invoked.ToolName);
        Assert.False(invoked.BuiltIn);
        Assert.Equal("ok", invoked.Outcome);
        Assert.Equal(result.LatencyMs, invoked.LatencyMs);
        Assert.Equal(result.RequestBytes, invoked.RequestBytes);
        Assert.Equal(result.ResponseBytes, invoked.ResponseBytes);
        Assert.Equal(1, invoked.Attempts);
        Assert.Equal(200, invoked.HttpStatus);
        Assert.Null(invoked.ArgumentsJson);
        Assert.True((DateTimeOffset.UtcNow - invoked.InvokedAt).Duration() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_loggable_tool_publishes_its_arguments_and_failures_are_published_too()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/down", "{}", status: 502);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "weather", server.Url("/down"), loggable: true);

        await fixture.ExecuteAsync(tenant, "weather", """{"order_id":"Paris"}""", callId: "call_loggable");
        var invoked = await _listener.WaitForCallAsync("call_loggable", TimeSpan.FromSeconds(20));

        Assert.Equal("webhook_error", invoked.Outcome);
        Assert.Equal(502, invoked.HttpStatus);
        Assert.Equal("""{"order_id":"Paris"}""", invoked.ArgumentsJson);
    }

    [Fact]
    public async Task Built_in_and_unknown_tool_calls_are_published()
    {
        var tenant = Guid.NewGuid();
        await fixture.ExecuteAsync(tenant, "end_session", """{"reason":"done"}""", callId: "call_builtin");
        await fixture.ExecuteAsync(tenant, "missing_tool", "{}", callId: "call_missing");

        var builtIn = await _listener.WaitForCallAsync("call_builtin", TimeSpan.FromSeconds(20));
        Assert.True(builtIn.BuiltIn);
        Assert.Equal("ok", builtIn.Outcome);
        Assert.Null(builtIn.ArgumentsJson); // end_session's reason is conversation content

        var missing = await _listener.WaitForCallAsync("call_missing", TimeSpan.FromSeconds(20));
        Assert.Equal("not_found", missing.Outcome);
    }

    [Fact]
    public async Task A_cancelled_call_is_published_as_cancelled()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/hang", async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "hang", server.Url("/hang"));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAsync<RpcException>(() => fixture.ExecuteAsync(tenant, "hang", """{"order_id":"1"}""", callId: "call_cancelled", cancellationToken: cancel.Token));

        var invoked = await _listener.WaitForCallAsync("call_cancelled", TimeSpan.FromSeconds(20));
        Assert.Equal("cancelled", invoked.Outcome);
    }
}
