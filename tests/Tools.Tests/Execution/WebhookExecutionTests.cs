using Microsoft.AspNetCore.Http;
using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.TestSupport.Webhooks;

namespace VoicePlatform.Tools.Tests.Execution;

/// <summary>
/// Tool calls through real webhooks (a Kestrel server on 127.0.0.1). Each test runs its own server and its own
/// tenants: circuits are per tenant and endpoint, so one test's failures cannot open another's circuit.
/// </summary>
public class WebhookExecutionTests(ToolsServiceFixture fixture) : IClassFixture<ToolsServiceFixture>
{
    private const string OrderArguments = """{"order_id":"A-42"}""";

    [Fact]
    public async Task A_call_posts_the_signed_documented_body_and_returns_the_webhook_json()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/orders", """{"status":"shipped","eta_days":2}""");
        var tenant = Guid.NewGuid();
        var secret = (await fixture.RegisterAsync(tenant, "lookup_order", server.Url("/orders"))).SigningSecret;

        var result = await fixture.ExecuteAsync(tenant, "lookup_order", OrderArguments, callId: "call_abc");

        Assert.Equal(ToolOutcome.Ok, result.Outcome);
        Assert.Equal("""{"status":"shipped","eta_days":2}""", result.OutputJson);
        Assert.Equal(200, result.HttpStatus);
        Assert.Equal(1, result.Attempts);
        Assert.False(result.BuiltIn);
        Assert.Equal(ToolAction.None, result.Action);
        Assert.True(result.RequestBytes > OrderArguments.Length);
        Assert.Equal(33, result.ResponseBytes);

        var request = Assert.Single(server.Received("/orders"));
        Assert.Equal(result.RequestBytes, request.Body.Length);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(tenant.ToString(), body.RootElement.GetProperty("tenant_id").GetString());
        Assert.Equal("sess_test", body.RootElement.GetProperty("session_id").GetString());
        Assert.Equal("call_abc", body.RootElement.GetProperty("call_id").GetString());
        Assert.Equal("lookup_order", body.RootElement.GetProperty("tool").GetString());
        Assert.Equal("A-42", body.RootElement.GetProperty("arguments").GetProperty("order_id").GetString());
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal("call_abc", request.Headers["X-VoicePlatform-Call-Id"]);

        // The receiver's check (docs/tools.md snippet) accepts it...
        var timestamp = request.Headers["X-VoicePlatform-Timestamp"];
        var signature = request.Headers["X-VoicePlatform-Signature"];
        Assert.Matches("^v1=[0-9a-f]{64}$", signature);
        var now = DateTimeOffset.UtcNow;
        var tolerance = TimeSpan.FromMinutes(5);
        Assert.True(WebhookSignatureVerifier.Verify(secret, timestamp, signature, request.Body, now, tolerance));
        // ...and rejects a tampered body, another secret, a replay outside the window and a forged timestamp.
        var tampered = request.Body.ToArray();
        tampered[^3] ^= 0x01;
        Assert.False(WebhookSignatureVerifier.Verify(secret, timestamp, signature, tampered, now, tolerance));
        Assert.False(WebhookSignatureVerifier.Verify(secret + "x", timestamp, signature, request.Body, now, tolerance));
        Assert.False(WebhookSignatureVerifier.Verify(secret, timestamp, signature, request.Body, now.AddMinutes(6), tolerance));
        var forgedTimestamp = (long.Parse(timestamp) + 1).ToString();
        Assert.False(WebhookSignatureVerifier.Verify(secret, forgedTimestamp, signature, request.Body, now, tolerance));
        Assert.False(WebhookSignatureVerifier.Verify(secret, timestamp, null, request.Body, now, tolerance));
    }

    [Fact]
    public async Task A_rotated_secret_signs_the_next_call()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/rotate", "{}");
        var tenant = Guid.NewGuid();
        var original = (await fixture.RegisterAsync(tenant, "rotating", server.Url("/rotate"))).SigningSecret;
        var rotated = (await fixture.Client.RotateToolSecretAsync(new RotateToolSecretRequest { TenantId = tenant.ToString(), Name = "rotating" })).SigningSecret;

        Assert.Equal(ToolOutcome.Ok, (await fixture.ExecuteAsync(tenant, "rotating", OrderArguments)).Outcome);

        var request = Assert.Single(server.Received("/rotate"));
        var (timestamp, signature) = (request.Headers["X-VoicePlatform-Timestamp"], request.Headers["X-VoicePlatform-Signature"]);
        Assert.True(WebhookSignatureVerifier.Verify(rotated, timestamp, signature, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignatureVerifier.Verify(original, timestamp, signature, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("""{}""", "order_id: is required")]
    [InlineData("""{"order_id":42}""", "order_id: must be a string")]
    [InlineData("""not json""", "arguments are not valid JSON")]
    public async Task Invalid_arguments_are_a_result_the_model_can_read_and_the_webhook_is_not_called(string arguments, string expectedDetail)
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/orders", "{}");
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "lookup_order", server.Url("/orders"));

        var result = await fixture.ExecuteAsync(tenant, "lookup_order", arguments);

        Assert.Equal(ToolOutcome.InvalidArguments, result.Outcome);
        using var output = JsonDocument.Parse(result.OutputJson);
        Assert.Equal("invalid_arguments", output.RootElement.GetProperty("error").GetString());
        var details = output.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(details, d => d.Contains(expectedDetail));
        Assert.Empty(server.Received("/orders"));
    }

    [Fact]
    public async Task A_slow_webhook_times_out_within_the_tools_timeout()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/slow", async (context, _) => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted));
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "slow", server.Url("/slow"), timeoutMs: 500);

        var stopwatch = Stopwatch.StartNew();
        var result = await fixture.ExecuteAsync(tenant, "slow", OrderArguments);

        Assert.Equal(ToolOutcome.Timeout, result.Outcome);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.InRange(result.LatencyMs, 450, 5000);
        Assert.Equal("timeout", JsonDocument.Parse(result.OutputJson).RootElement.GetProperty("error").GetString());
        // The timed-out request was aborted, not left running.
        await Assert.Single(server.Received("/slow")).Aborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_500_is_retried_when_the_tool_is_safe_to_retry()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        var calls = 0;
        server.Handle("/flaky", async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = 500;
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"ok":true}""");
        });
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "flaky", server.Url("/flaky"), safeToRetry: true);

        var result = await fixture.ExecuteAsync(tenant, "flaky", OrderArguments);

        Assert.Equal(ToolOutcome.Ok, result.Outcome);
        Assert.Equal("""{"ok":true}""", result.OutputJson);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, server.Received("/flaky").Count);
        // Same call id on both attempts, so the receiver can deduplicate.
        Assert.Single(server.Received("/flaky").Select(r => r.Headers["X-VoicePlatform-Call-Id"]).Distinct());
    }

    [Fact]
    public async Task A_500_is_not_retried_when_the_tool_is_not_safe_to_retry()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/unsafe", """{"error":"boom"}""", status: 500);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "charge_card", server.Url("/unsafe"), safeToRetry: false);

        var result = await fixture.ExecuteAsync(tenant, "charge_card", OrderArguments);

        Assert.Equal(ToolOutcome.WebhookError, result.Outcome);
        Assert.Equal(500, result.HttpStatus);
        Assert.Equal(1, result.Attempts);
        Assert.Single(server.Received("/unsafe"));
        using var output = JsonDocument.Parse(result.OutputJson);
        Assert.Equal("webhook_error", output.RootElement.GetProperty("error").GetString());
        Assert.Equal(500, output.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_4xx_is_a_webhook_error_and_not_retried_even_when_safe()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/bad", """{"error":"nope"}""", status: 400);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "bad", server.Url("/bad"), safeToRetry: true);

        var result = await fixture.ExecuteAsync(tenant, "bad", OrderArguments);

        Assert.Equal(ToolOutcome.WebhookError, result.Outcome);
        Assert.Equal(400, result.HttpStatus);
        Assert.Single(server.Received("/bad"));
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_and_calls_fail_fast_without_reaching_the_server()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/down", "{}", status: 503);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "down", server.Url("/down"));
        // Another tool on the same endpoint shares the circuit.
        await fixture.RegisterAsync(tenant, "down_too", server.Url("/down"));

        for (var i = 0; i < ToolsServiceFixture.CircuitMinimumThroughput; i++)
            Assert.Equal(ToolOutcome.WebhookError, (await fixture.ExecuteAsync(tenant, "down", OrderArguments)).Outcome);
        Assert.Equal(ToolsServiceFixture.CircuitMinimumThroughput, server.Received("/down").Count);

        var stopwatch = Stopwatch.StartNew();
        var open = await fixture.ExecuteAsync(tenant, "down_too", OrderArguments);
        Assert.Equal(ToolOutcome.CircuitOpen, open.Outcome);
        Assert.Equal(0, open.Attempts);
        Assert.Equal("circuit_open", JsonDocument.Parse(open.OutputJson).RootElement.GetProperty("error").GetString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));
        Assert.Equal(ToolsServiceFixture.CircuitMinimumThroughput, server.Received("/down").Count);
    }

    [Fact]
    public async Task One_tenants_open_circuit_does_not_pause_another_tenant_on_the_same_endpoint()
    {
        // Two tenants' tools on one shared host (an automation SaaS): A's is broken, B's works.
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/tenant-a", "{}", status: 503);
        server.RespondJson("/tenant-b", """{"ok":true}""");
        var (tenantA, tenantB) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.RegisterAsync(tenantA, "automation", server.Url("/tenant-a"));
        await fixture.RegisterAsync(tenantB, "automation", server.Url("/tenant-b"));

        for (var i = 0; i < ToolsServiceFixture.CircuitMinimumThroughput; i++)
            Assert.Equal(ToolOutcome.WebhookError, (await fixture.ExecuteAsync(tenantA, "automation", OrderArguments)).Outcome);

        var b = await fixture.ExecuteAsync(tenantB, "automation", OrderArguments);
        Assert.Equal(ToolOutcome.Ok, b.Outcome);
        Assert.Equal(1, b.Attempts);
        Assert.Single(server.Received("/tenant-b"));

        var a = await fixture.ExecuteAsync(tenantA, "automation", OrderArguments);
        Assert.Equal(ToolOutcome.CircuitOpen, a.Outcome);
        Assert.Equal(0, a.Attempts);
        Assert.Equal(ToolsServiceFixture.CircuitMinimumThroughput, server.Received("/tenant-a").Count);

        Assert.Equal(ToolOutcome.Ok, (await fixture.ExecuteAsync(tenantB, "automation", OrderArguments)).Outcome);
        Assert.Equal(2, server.Received("/tenant-b").Count);
    }

    [Fact]
    public async Task Another_tenants_tool_name_is_not_found_and_its_webhook_is_never_called()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.RespondJson("/owner", """{"secret":"owner data"}""");
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.RegisterAsync(owner, "owner_lookup", server.Url("/owner"));

        var result = await fixture.ExecuteAsync(other, "owner_lookup", OrderArguments);

        Assert.Equal(ToolOutcome.NotFound, result.Outcome);
        Assert.Equal("not_found", JsonDocument.Parse(result.OutputJson).RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("owner data", result.OutputJson);
        Assert.Equal(0, result.Attempts);
        Assert.Empty(server.Received("/owner"));
        // The owner's call does reach it (so the empty list above is not an unreachable server).
        Assert.Equal(ToolOutcome.Ok, (await fixture.ExecuteAsync(owner, "owner_lookup", OrderArguments)).Outcome);
        Assert.Single(server.Received("/owner"));
    }

    [Fact]
    public async Task An_oversize_response_is_refused()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        var big = JsonSerializer.Serialize(new { data = new string('x', 100 * 1024) });
        server.RespondJson("/big", big);
        // Also without Content-Length (chunked): the cap is enforced while reading.
        server.Handle("/big-chunked", async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            for (var i = 0; i < 100; i++) await context.Response.WriteAsync(new string(' ', 1024));
            await context.Response.WriteAsync("{}");
        });
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "big", server.Url("/big"));
        await fixture.RegisterAsync(tenant, "big_chunked", server.Url("/big-chunked"));

        foreach (var tool in new[] { "big", "big_chunked" })
        {
            var result = await fixture.ExecuteAsync(tenant, tool, OrderArguments);
            Assert.Equal(ToolOutcome.ResponseTooLarge, result.Outcome);
            Assert.True(result.ResponseBytes > 64 * 1024, $"{tool}: {result.ResponseBytes}");
            Assert.Equal("response_too_large", JsonDocument.Parse(result.OutputJson).RootElement.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task A_non_json_response_is_wrapped_as_a_json_string()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/text", (context, _) => context.Response.WriteAsync("Order A-42 has shipped."));
        server.Handle("/empty", (context, _) => Task.CompletedTask);
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "text", server.Url("/text"));
        await fixture.RegisterAsync(tenant, "empty", server.Url("/empty"));

        var text = await fixture.ExecuteAsync(tenant, "text", OrderArguments);
        Assert.Equal(ToolOutcome.Ok, text.Outcome);
        Assert.Equal("Order A-42 has shipped.", JsonDocument.Parse(text.OutputJson).RootElement.GetString());

        var empty = await fixture.ExecuteAsync(tenant, "empty", OrderArguments);
        Assert.Equal(ToolOutcome.Ok, empty.Outcome);
        Assert.Equal("{}", empty.OutputJson);
    }

    [Fact]
    public async Task Cancelling_the_call_aborts_the_webhook_request()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/hang", async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "hang", server.Url("/hang"), timeoutMs: 30_000);

        using var cancel = new CancellationTokenSource();
        var call = fixture.ExecuteAsync(tenant, "hang", OrderArguments, cancellationToken: cancel.Token);
        var received = await Poll(() => server.Received("/hang").FirstOrDefault());
        cancel.Cancel();

        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await received.Aborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_deadline_on_the_call_aborts_the_webhook_request_too()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/hang", async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "hang", server.Url("/hang"), timeoutMs: 30_000);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Execution.ExecuteToolAsync(
            new ExecuteToolRequest { TenantId = tenant.ToString(), SessionId = "s", CallId = "c", ToolName = "hang", ArgumentsJson = OrderArguments },
            deadline: DateTime.UtcNow.AddMilliseconds(500)));
        // Over real HTTP/2 the client reports DeadlineExceeded; when the server's own deadline timer wins, the in-memory
        // TestServer surfaces the server's stream reset (RST_STREAM CANCEL) as Internal instead.
        Assert.True(error.StatusCode == StatusCode.DeadlineExceeded || error.Status.DebugException is Microsoft.AspNetCore.TestHost.HttpResetTestException, error.ToString());
        await Assert.Single(server.Received("/hang")).Aborted.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Parallel_calls_run_concurrently()
    {
        await using var server = await LocalWebhookServer.StartAsync();
        server.Handle("/slow", async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
            await context.Response.WriteAsync("""{"done":true}""");
        });
        var tenant = Guid.NewGuid();
        await fixture.RegisterAsync(tenant, "slow", server.Url("/slow"));
        await fixture.ExecuteAsync(tenant, "slow", OrderArguments); // warm up (connection, schema parsing)

        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.ExecuteAsync(tenant, "slow", OrderArguments)));
        stopwatch.Stop();

        Assert.All(results, r => Assert.Equal(ToolOutcome.Ok, r.Outcome));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"3 parallel 1 s calls took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task An_unknown_tool_is_not_found()
    {
        var result = await fixture.ExecuteAsync(Guid.NewGuid(), "no_such_tool", "{}");
        Assert.Equal(ToolOutcome.NotFound, result.Outcome);
        Assert.Equal("not_found", JsonDocument.Parse(result.OutputJson).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_invalid_tenant_id_is_an_rpc_error()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Execution.ExecuteToolAsync(new ExecuteToolRequest { TenantId = "nope", ToolName = "x" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static async Task<T> Poll<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            await Task.Delay(20);
        }
    }
}
