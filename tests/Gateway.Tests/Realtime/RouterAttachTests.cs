using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.TestSupport.Tenants;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>
/// A Router that takes a session's stream and never answers (a hung or half-started instance) costs the session one
/// attempt bounded by <c>RouterAnswerTimeout</c>, not its whole start (or re-attach) window: the Gateway cancels it
/// and attaches again (RouterKillLoopTests once lost two sessions to one such attempt after a Router restart).
/// </summary>
public class RouterAttachTests
{
    private const string OperatorKey = "router-attach-operator-key";

    [Theory]
    [InlineData("Grpc")]
    [InlineData("WebSocket")]
    public async Task A_Router_stream_that_is_never_answered_is_given_up_and_the_session_attaches_again(string transport)
    {
        await using var router = await ScriptedRouter.StartAsync(silentStreams: 1);
        await using var gateway = await InProcessService<Program>.StartAsync("gateway", configure: web =>
        {
            web.UseSetting("Gateway:OperatorKey", OperatorKey);
            web.UseSetting("services:router:grpc:0", router.Address);
            web.UseSetting("services:router:http:0", router.SocketAddress);
            web.UseSetting("Gateway:Realtime:RouterTransport", transport);
            web.UseSetting("Gateway:Realtime:RouterAnswerTimeout", "00:00:01");
            // Without the bound, the unanswered attempt would last this long and end the session with provider_timeout.
            web.UseSetting("Gateway:Realtime:StartTimeout", "00:00:10");
        });
        var key = await NewApiKeyAsync(gateway.Factory);

        var client = gateway.Factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {key}";
        var uri = new UriBuilder(gateway.Factory.Server.BaseAddress) { Scheme = "ws", Path = "/v1/realtime", Query = "model=gpt-realtime-2" }.Uri;
        using var socket = await client.ConnectAsync(uri, CancellationToken.None);

        var first = await ReceiveJsonAsync(socket);
        Assert.Equal("session.created", first.GetProperty("type").GetString());
        Assert.Equal(2, router.Streams);
        Assert.Equal(transport == "WebSocket" ? 2 : 0, router.SocketStreams);
        await Poll.UntilAsync(() => Task.FromResult(router.SilentStreamsCancelled), cancelled => cancelled == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, router.SilentStreamsCancelled);
    }

    private static async Task<string> NewApiKeyAsync(WebApplicationFactory<Program> gateway)
    {
        using var admin = gateway.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return (await TenantSetup.CreateTenantWithKeyAsync(admin, "attach")).ApiKey;
    }

    private static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }
}
