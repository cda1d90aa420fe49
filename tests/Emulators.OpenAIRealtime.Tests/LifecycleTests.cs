using VoicePlatform.TestSupport.Realtime;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>Session cap and fault injection, each on its own emulator configuration.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Session_cap_sends_session_expired_then_closes_1001()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:SessionMaxDuration", "00:00:02"));
        var watch = Stopwatch.StartNew();
        await using var client = await RealtimeTestClient.ConnectAsync(host);
        var created = (await client.ExpectAsync("session.created")).GetProperty("session");
        Assert.InRange(created.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 3);

        var (status, reason, events) = await client.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 6);
        var error = Assert.Single(events).GetProperty("error");
        Assert.Equal("session_expired", error.Str("code"));
        Assert.Equal("Your session hit the maximum duration of 2 seconds.", error.Str("message"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("Your session hit the maximum duration of 2 seconds.", reason);
    }

    [Fact]
    public async Task Close_after_messages_with_a_fatal_error_code()
    {
        await using var host = await EmulatorHost.StartAsync(
            ("OpenAIEmulator:Faults:CloseAfterMessages", "2"),
            ("OpenAIEmulator:Faults:CloseCode", "4001"),
            ("OpenAIEmulator:Faults:CloseReason", "quota"),
            ("OpenAIEmulator:Faults:ErrorCode", "insufficient_quota"));
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime" } });
        await client.ExpectAsync("session.updated");
        await client.AppendAsync(TestAudio.Pcm16(TestAudio.Silence(20)));
        var (status, reason, events) = await client.WaitForCloseAsync();
        Assert.Equal("insufficient_quota", Assert.Single(events).GetProperty("error").Str("code"));
        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("quota", reason);
    }

    [Fact]
    public async Task A_user_message_naming_a_fault_ends_only_its_own_connection_after_the_item_is_added()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Faults:TextTriggers", "true"));
        await using var bystander = await RealtimeTestClient.ConnectReadyAsync(host);
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "[openai-fault:insufficient_quota] hi" } } } });
        var (status, _, events) = await client.WaitForCloseAsync();
        Assert.Equal(["conversation.item.added", "conversation.item.done", "error"], events.Select(e => e.Str("type")));
        Assert.Equal("insufficient_quota", events[^1].GetProperty("error").Str("code"));
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);

        await client.DisposeAsync();
        await bystander.SendAsync(new { type = "session.update", session = new { type = "realtime" } });
        await bystander.ExpectAsync("session.updated");
    }

    [Fact]
    public async Task The_drop_fault_breaks_the_connection_without_a_close_frame()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Faults:TextTriggers", "true"));
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "[openai-fault:drop]" } } } });
        var broken = await Assert.ThrowsAsync<WebSocketException>(() => client.WaitForCloseAsync());
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, broken.WebSocketErrorCode); // no close handshake
    }

    [Fact]
    public async Task Fault_markers_are_plain_text_unless_text_triggers_are_on()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "[openai-fault:drop]" } } } });
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");
        Assert.Equal("completed", events[^1].GetProperty("response").Str("status"));
    }

    [Fact]
    public async Task Close_after_seconds_without_error_event()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Faults:CloseAfterSeconds", "0.5"));
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        var (status, _, events) = await client.WaitForCloseAsync();
        Assert.Empty(events);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, status); // default CloseCode 1011
    }

    [Fact]
    public async Task Refused_connections_get_the_configured_status()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Faults:RefuseConnections", "true"), ("OpenAIEmulator:Faults:RefuseStatusCode", "429"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer sk-test");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.RealtimeUri(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Reply_delay_postpones_the_first_output()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Faults:ReplyDelayMs", "400"));
        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hi" } } } });
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("response.created", TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        await client.ExpectAsync("response.output_item.added", TimeSpan.FromSeconds(5));
        Assert.True(watch.ElapsedMilliseconds >= 300, $"first output after {watch.ElapsedMilliseconds} ms");
        await client.CollectUntilAsync("response.done");
    }

    [Fact]
    public async Task Oversized_frame_closes_1009_and_binary_frames_get_an_error()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:MaxMessageBytes", "4096"));
        await using (var binary = await RealtimeTestClient.ConnectReadyAsync(host))
        {
            await binary.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
            Assert.Equal("invalid_value", (await binary.ExpectAsync("error")).GetProperty("error").Str("code"));
        }

        await using var client = await RealtimeTestClient.ConnectReadyAsync(host);
        await client.AppendAsync(new byte[8000]);
        var (status, _, events) = await client.WaitForCloseAsync();
        Assert.Empty(events);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
    }
}
