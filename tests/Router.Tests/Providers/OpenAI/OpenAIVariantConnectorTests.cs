using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// Azure OpenAI and xAI as provider instances of the OpenAI kind, against the OpenAI emulator's Azure and xAI variants:
/// the instance's settings choose the URL, the credential header and the dialect; the client sees OpenAI GA either way.
/// </summary>
public class OpenAIVariantConnectorTests
{
    private static IProviderConnector Connector(string key, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddOpenAIProvider(configuration).BuildServiceProvider()
            .GetServices<IProviderConnector>().Single(c => c.Provider == key);
    }

    private static Dictionary<string, string?> Azure(EmulatorHost emulator, string auth = "api-key") => new()
    {
        ["Providers:Azure:Kind"] = "openai",
        ["Providers:Azure:BaseUrl"] = new Uri(emulator.WsBase, "openai/v1").ToString(),
        ["Providers:Azure:ApiKey"] = "azure-key",
        ["Providers:Azure:Auth"] = auth,
        ["Providers:Azure:SessionMaxDuration"] = "00:30:00",
        ["Providers:Azure:ConnectTimeout"] = "00:00:05",
    };

    private static ProviderSessionContext Context(string provider, string id, string upstream) =>
        new("sess_test", "tenant", id, new CatalogModel { Id = id, Provider = provider, UpstreamModel = upstream });

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task An_Azure_instance_sends_the_api_key_header_and_names_the_deployment()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build,
            "OpenAIEmulator:ApiKeys:0=azure-key", "OpenAIEmulator:Azure:Deployments:contoso-realtime=gpt-realtime-2.1");
        var sink = new RecordingSink();
        await using var session = await Connector("azure", Azure(emulator))
            .ConnectAsync(Context("azure", "azure-gpt-realtime-2.1", "contoso-realtime"), sink, CancellationToken.None);

        // The emulator knows only the deployment contoso-realtime (any other name is refused with 400); the client sees
        // the catalog id it connected with, as with every provider.
        var created = await sink.NextAsync();
        Assert.Equal("session.created", created.Type);
        Assert.Equal("azure-gpt-realtime-2.1", created.Json.GetProperty("session").GetProperty("model").GetString());

        await session.SendEventAsync(0, Json("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}"""), CancellationToken.None);
        await session.SendEventAsync(0, Json("""{"type":"response.create"}"""), CancellationToken.None);
        var events = await sink.CollectUntilAsync("response.done");
        Assert.Equal("Echo: Hi", events.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString());
    }

    [Fact]
    public async Task The_same_key_as_a_bearer_token_is_refused_by_Azure_s_api_key_check()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:ApiKeys:0=other-key");

        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Connector("azure", Azure(emulator)).ConnectAsync(Context("azure", "m", "gpt-realtime-2.1"), new RecordingSink(), CancellationToken.None));

        Assert.Equal("invalid_api_key", refused.Code);
    }

    [Fact]
    public async Task A_deployment_Azure_cannot_serve_is_refused_at_connect()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:ApiKeys:0=azure-key");

        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() =>
            Connector("azure", Azure(emulator)).ConnectAsync(Context("azure", "m", "gpt-realtime-whisper"), new RecordingSink(), CancellationToken.None));

        Assert.Equal("provider_unavailable", refused.Code);
        Assert.Contains("HTTP 400", refused.Message);
    }

    [Fact]
    public async Task An_xAI_instance_opens_with_session_created_and_speaks_GA_both_ways()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:ApiKeys:0=xai-key");
        var sink = new RecordingSink();
        await using var session = await Connector("xai", new()
        {
            ["Providers:XAI:Kind"] = "openai",
            ["Providers:XAI:Dialect"] = "xai",
            ["Providers:XAI:BaseUrl"] = new Uri(emulator.WsBase, "xai/v1").ToString(),
            ["Providers:XAI:ApiKey"] = "xai-key",
            ["Providers:XAI:ConnectTimeout"] = "00:00:05",
        })
            .ConnectAsync(Context("xai", "grok-voice-think-fast-1.0", "grok-voice-think-fast-1.0"), sink, CancellationToken.None);

        // conversation.created (xAI's first event) is not GA: the client's first event is session.created, in GA shape.
        var created = await sink.NextAsync();
        Assert.Equal("session.created", created.Type);
        var session0 = created.Json.GetProperty("session");
        Assert.Equal("ara", session0.GetProperty("audio").GetProperty("output").GetProperty("voice").GetString());
        Assert.False(session0.TryGetProperty("voice", out _));

        // A GA client's nested voice and turn detection reach xAI at the top level (the emulator ignores nested ones).
        await session.SendEventAsync(0, Json("""
            {"type":"session.update","session":{"type":"realtime","audio":{
              "input":{"transcription":{"model":"grok-transcribe"},"turn_detection":{"type":"server_vad","silence_duration_ms":500}},
              "output":{"voice":"eve"}}}}
            """), CancellationToken.None);
        var updated = (await sink.CollectUntilAsync("session.updated")).Last().Json.GetProperty("session").GetProperty("audio");
        Assert.Equal("eve", updated.GetProperty("output").GetProperty("voice").GetString());
        Assert.Equal(500, updated.GetProperty("input").GetProperty("turn_detection").GetProperty("silence_duration_ms").GetInt32());

        // xAI's running transcript arrives as GA deltas that add up to the completed transcript.
        var audio = TestAudio.Pcm16(TestAudio.Silence(200), TestAudio.Tone(1500), TestAudio.Silence(1200));
        for (var offset = 0; offset < audio.Length; offset += 960)
            await session.SendAudioAsync(0, audio.AsMemory(offset, Math.Min(960, audio.Length - offset)), 24000, null, CancellationToken.None);
        var events = await sink.CollectUntilAsync("conversation.item.input_audio_transcription.completed");
        var deltas = events.Where(e => e.Type == "conversation.item.input_audio_transcription.delta").Select(e => e.Json.GetProperty("delta").GetString()).ToList();
        Assert.NotEmpty(deltas);
        Assert.DoesNotContain(events, e => e.Type == "conversation.item.input_audio_transcription.updated");
        Assert.Equal(events.Last().Json.GetProperty("transcript").GetString(), string.Concat(deltas));
    }
}
