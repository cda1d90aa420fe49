using System.Diagnostics;
using System.Net;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task CloseAfterMessages_closes_with_the_configured_code_and_reason()
    {
        await using var host = await EmulatorHost.StartAsync("Faults:CloseAfterMessages=3", "Faults:CloseCode=1011", "Faults:CloseReason=Injected failure");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();
        await client.SendTextAsync("hello");

        var frames = await client.WaitForCloseAsync();
        Assert.Equal(2, frames.Count); // setupComplete + 2 more = 3 messages
        Assert.Equal(1011, client.CloseCode);
        Assert.Equal("Injected failure", client.CloseReason);
    }

    [Fact]
    public async Task A_user_turn_naming_an_expired_key_closes_its_connection_1008()
    {
        await using var host = await EmulatorHost.StartAsync("Faults:TextTriggers=true");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();
        await client.SendAsync("""{"clientContent":{"turns":[{"role":"user","parts":[{"text":"[gemini-fault:key_expired] hello"}]}],"turnComplete":true}}""");

        await client.WaitForCloseAsync();
        Assert.Equal(1008, client.CloseCode);
        Assert.Equal("API key expired. Please renew the API key.", client.CloseReason);
    }

    [Fact]
    public async Task CloseAfterSeconds_closes_an_idle_connection()
    {
        await using var host = await EmulatorHost.StartAsync("Faults:CloseAfterSeconds=1", "Faults:CloseCode=1008", "Faults:CloseReason=Policy");
        var watch = Stopwatch.StartNew();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        await client.WaitForCloseAsync();
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.8, 3);
        Assert.Equal(1008, client.CloseCode);
    }

    [Fact]
    public async Task RefuseConnections_refuses_the_upgrade_and_can_target_only_the_first_connections()
    {
        await using var host = await EmulatorHost.StartAsync("Faults:RefuseConnections=true", "Faults:FaultedConnections=1");
        var (socket, error) = await LiveClient.TryConnectAsync(host.WsBase, LiveClient.DefaultPath);
        using (socket)
        {
            Assert.NotNull(error);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, socket.HttpStatusCode);
        }

        await using var second = await host.ConnectAsync();
        await second.SetupAsync();
    }

    [Fact]
    public async Task ReplyDelay_postpones_the_model_output()
    {
        await using var host = await EmulatorHost.StartAsync("Faults:ReplyDelayMs=800");
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        var watch = Stopwatch.StartNew();
        await client.SendTextAsync("hello");
        await client.WaitForAsync(j => j.ToString().Contains("inlineData", StringComparison.Ordinal));
        Assert.True(watch.ElapsedMilliseconds >= 750, $"first audio after {watch.ElapsedMilliseconds} ms");
    }
}
