using System.Net.WebSockets;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task SetupComplete_comes_first_and_every_server_frame_is_binary()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var first = await client.SetupAsync();
        Assert.Equal("""{"setupComplete":{}}""", first.Raw);

        // The client may send text or binary frames; this one goes as binary.
        await client.SendAsync("""{"realtimeInput":{"text":"hi"}}""", binary: true);
        await client.WaitForAsync(Wire.IsTurnComplete);
        Assert.All(client.Received, f => Assert.Equal(WebSocketMessageType.Binary, f.Type));
    }

    [Fact]
    public async Task A_first_message_that_is_not_setup_closes_1007()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();

        await client.SendTextAsync("hello");
        var frames = await client.WaitForCloseAsync();

        Assert.Empty(frames);
        Assert.Equal(1007, client.CloseCode);
    }

    [Fact]
    public async Task Unknown_setup_field_closes_1007_with_proto_json_reason()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();

        await client.SendSetupAsync("""{"model":"models/x","responseModalities":["AUDIO"]}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
        Assert.Contains("Unknown name \"responseModalities\"", client.CloseReason);
    }

    [Fact]
    public async Task The_docs_config_envelope_is_rejected_as_an_unknown_field()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();

        await client.SendAsync("""{"config":{"model":"models/x"}}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
        Assert.Contains("\"config\"", client.CloseReason);
    }

    [Fact]
    public async Task Unknown_model_closes_1008_when_models_are_restricted()
    {
        await using var host = await EmulatorHost.StartAsync("Models:0=gemini-live-2.5-flash-preview");
        await using var ok = await host.ConnectAsync();
        await ok.SetupAsync("""{"model":"models/gemini-live-2.5-flash-preview"}""");

        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync("""{"model":"models/no-such-model"}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1008, client.CloseCode);
        Assert.Contains("no-such-model", client.CloseReason);
    }

    [Fact]
    public async Task Native_audio_model_rejects_text_modality_and_two_modalities()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var text = await host.ConnectAsync();
        await text.SendSetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","generationConfig":{"responseModalities":["TEXT"]}}""");
        await text.WaitForCloseAsync();
        Assert.Equal(1007, text.CloseCode);

        await using var both = await host.ConnectAsync();
        await both.SendSetupAsync("""{"model":"models/gemini-live-2.5-flash-preview","generationConfig":{"responseModalities":["TEXT","AUDIO"]}}""");
        await both.WaitForCloseAsync();
        Assert.Equal(1007, both.CloseCode);
    }

    [Fact]
    public async Task Two_fields_in_one_realtimeInput_close_1007()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        await client.SendAsync("""{"realtimeInput":{"text":"a","audioStreamEnd":true}}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
    }

    [Theory]
    [InlineData("//ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent")]
    [InlineData("/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent")]
    [InlineData("/ws/google.ai.generativelanguage.v1.GenerativeService.BidiGenerateContent")]
    public async Task Serves_the_sdk_paths(string path)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync(path: path);
        await client.SetupAsync();
    }

    [Fact]
    public async Task Unserved_api_version_closes_1008_after_setup()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync(path: "/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent");
        await client.SendSetupAsync();
        await client.WaitForCloseAsync();

        Assert.Equal(1008, client.CloseCode);
        Assert.Contains("API version v2", client.CloseReason);
    }

    [Fact]
    public async Task Bad_key_closes_1008_after_setup_and_good_key_in_header_works()
    {
        await using var host = await EmulatorHost.StartAsync("ApiKeys:0=good-key");

        await using var bad = await host.ConnectAsync(key: "bad-key");
        await bad.SendSetupAsync();
        var frames = await bad.WaitForCloseAsync();
        Assert.Empty(frames);
        Assert.Equal(1008, bad.CloseCode);
        Assert.Equal("API key not valid. Please pass a valid API key.", bad.CloseReason);

        await using var none = await host.ConnectAsync(key: null);
        await none.SendSetupAsync();
        await none.WaitForCloseAsync();
        Assert.Equal(1008, none.CloseCode);

        await using var header = await host.ConnectAsync(key: null, headers: new Dictionary<string, string> { ["x-goog-api-key"] = "good-key" });
        await header.SetupAsync();
    }

    [Fact]
    public async Task Bad_key_can_be_refused_at_the_upgrade()
    {
        await using var host = await EmulatorHost.StartAsync("ApiKeys:0=good-key", "BadKeyRejection=HttpStatus");
        var (socket, error) = await LiveClient.TryConnectAsync(host.WsBase, LiveClient.DefaultPath + "?key=bad");
        using (socket)
        {
            Assert.NotNull(error);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, socket.HttpStatusCode);
        }
    }
}
