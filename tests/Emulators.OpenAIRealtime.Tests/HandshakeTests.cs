using VoicePlatform.TestSupport.Realtime;
using System.Net;
using System.Net.WebSockets;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class HandshakeTests : IAsyncLifetime
{
    private EmulatorHost _host = null!;

    public async Task InitializeAsync() => _host = await EmulatorHost.StartAsync(("OpenAIEmulator:ApiKeys:0", "sk-good"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpStatusCode> FailedUpgradeAsync(Action<ClientWebSocketOptions> configure)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_host.RealtimeUri(), CancellationToken.None));
        return socket.HttpStatusCode;
    }

    [Fact]
    public async Task Wrong_key_is_refused_with_401_before_the_upgrade()
    {
        var status = await FailedUpgradeAsync(o => o.SetRequestHeader("Authorization", "Bearer sk-wrong-key-123"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/realtime?model=gpt-realtime");
        request.Headers.Add("Authorization", "Bearer sk-wrong-key-123");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"invalid_api_key\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_key_is_refused_with_401()
    {
        var status = await FailedUpgradeAsync(_ => { });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Configured_key_is_accepted_by_header_and_by_browser_subprotocol()
    {
        await using (var byHeader = await RealtimeTestClient.ConnectAsync(_host, key: "sk-good"))
        {
            await byHeader.ExpectAsync("session.created");
        }

        await using var bySubprotocol = await RealtimeTestClient.ConnectAsync(_host, configure: o =>
        {
            o.AddSubProtocol("realtime");
            o.AddSubProtocol("openai-insecure-api-key.sk-good");
        });
        Assert.Equal("realtime", bySubprotocol.Socket.SubProtocol);
        await bySubprotocol.ExpectAsync("session.created");
    }

    [Fact]
    public async Task Beta_header_gets_the_shutdown_error_then_close_4000()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(_host, configure: o =>
        {
            o.SetRequestHeader("Authorization", "Bearer sk-good");
            o.SetRequestHeader("OpenAI-Beta", "realtime=v1");
        });
        var (status, reason, events) = await client.WaitForCloseAsync();
        var error = Assert.Single(events);
        Assert.Equal("error", error.Type());
        Assert.Equal("beta_api_shape_disabled", error.GetProperty("error").Str("code"));
        Assert.Equal("The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", error.GetProperty("error").Str("message"));
        Assert.Equal((WebSocketCloseStatus)4000, status);
        Assert.Equal("invalid_request_error.beta_api_shape_disabled", reason);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
    }
}
