using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>The OpenAI connector against the OpenAI emulator: faithful relay, audio as PCM, failures as error + end.</summary>
public class OpenAIConnectorTests
{
    private static readonly CatalogModel Model = new() { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime-2" };

    private static OpenAIConnector Connector(EmulatorHost emulator, string key = "sk-test") => new ServiceCollection()
        .AddLogging()
        .Configure<OpenAIProviderOptions>("openai", o =>
        {
            o.BaseUrl = new Uri(emulator.WsBase, "v1").ToString();
            o.ApiKey = key;
            o.ConnectTimeout = TimeSpan.FromSeconds(5);
        })
        .AddSingleton(sp => new OpenAIConnector("openai", sp.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>(), sp.GetRequiredService<ILoggerFactory>()))
        .BuildServiceProvider()
        .GetRequiredService<OpenAIConnector>();

    private static ProviderSessionContext Context => new("sess_test", "tenant", "gpt-realtime-2", Model);

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public async Task Relays_events_unchanged_and_audio_as_pcm()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(Context, sink, CancellationToken.None);

        var created = await sink.NextAsync();
        Assert.Equal("session.created", created.Type);
        Assert.Equal("gpt-realtime-2", created.Json.GetProperty("session").GetProperty("model").GetString());

        await session.SendEventAsync(0, Json("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}"""), CancellationToken.None);
        await session.SendEventAsync(0, Json("""{"type":"response.create"}"""), CancellationToken.None);
        var events = await sink.CollectUntilAsync("response.done");

        var audio = events.Where(e => e.Type == "response.output_audio.delta").ToList();
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal(24000, a.SampleRate));
        var itemId = events.First(e => e.Type == "response.output_item.added").Json.GetProperty("item").GetProperty("id").GetString();
        Assert.All(audio, a => Assert.Equal(itemId, a.Audio.ItemId));
        // "Echo: Hi" is 8 characters at 60 ms each: 480 ms of 24 kHz PCM16.
        Assert.Equal(8 * 60 * 24 * 2, audio.Sum(a => a.Pcm!.Length));
        Assert.Equal("Echo: Hi", events.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString());
    }

    [Fact]
    public async Task Eight_kilohertz_input_is_resampled_to_the_providers_rate()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(Context, sink, CancellationToken.None);
        await sink.NextAsync();

        var audio = TestAudio.Pcm16(TestAudio.Silence(200, 8000), TestAudio.Tone(1500, 8000), TestAudio.Silence(1000, 8000));
        for (var offset = 0; offset < audio.Length; offset += 320)
            await session.SendAudioAsync(0, audio.AsMemory(offset, Math.Min(320, audio.Length - offset)), 8000, null, CancellationToken.None);

        var events = await sink.CollectUntilAsync("response.done");
        var stopped = events.Single(e => e.Type == "input_audio_buffer.speech_stopped").Json.GetProperty("audio_end_ms").GetInt32();
        Assert.InRange(stopped, 1600, 2100); // speech ended at 1.7 s + the emulator's silence duration
        // The emulator reports the committed turn's length (speech_started, which includes prefix padding, to speech_stopped).
        var started = events.Single(e => e.Type == "input_audio_buffer.speech_started").Json.GetProperty("audio_start_ms").GetInt32();
        Assert.Equal($"I heard {(stopped - started) / 1000.0:0.0} seconds of audio.",
            events.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString());
    }

    [Fact]
    public async Task Refused_connection_is_a_provider_unavailable_connect_failure()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:Faults:RefuseConnections=true");
        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() => Connector(emulator).ConnectAsync(Context, new RecordingSink(), CancellationToken.None));
        Assert.Equal("provider_unavailable", refused.Code);
        Assert.Contains("503", refused.Message);
    }

    [Fact]
    public async Task Wrong_provider_key_is_an_invalid_api_key_connect_failure()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:ApiKeys:0=sk-right");
        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() => Connector(emulator, "sk-wrong").ConnectAsync(Context, new RecordingSink(), CancellationToken.None));
        Assert.Equal("invalid_api_key", refused.Code);
    }

    [Fact]
    public async Task Unreachable_provider_fails_fast_instead_of_hanging()
    {
        var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var connector = Connector(emulator);
        await emulator.DisposeAsync();
        var refused = await Assert.ThrowsAsync<ProviderConnectException>(() => connector.ConnectAsync(Context, new RecordingSink(), CancellationToken.None));
        Assert.Equal("provider_unavailable", refused.Code);
    }

    [Fact]
    public async Task Provider_dropping_mid_session_ends_the_session_with_its_close_status()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build,
            "OpenAIEmulator:Faults:CloseAfterMessages=2", "OpenAIEmulator:Faults:ErrorCode=server_error");
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(Context, sink, CancellationToken.None);
        await sink.NextAsync();
        await session.SendEventAsync(0, Json("""{"type":"input_audio_buffer.clear"}"""), CancellationToken.None);
        await session.SendEventAsync(0, Json("""{"type":"input_audio_buffer.clear"}"""), CancellationToken.None);

        var events = await sink.CollectUntilAsync("(end)");
        Assert.Contains(events, e => e.Type == "error" && e.Json.GetProperty("error").GetProperty("code").GetString() == "server_error");
        Assert.Equal(1011, events[^1].CloseStatus);
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Provider_session_cap_reaches_the_client_as_session_expired_then_1001()
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build, "OpenAIEmulator:SessionMaxDuration=00:00:01");
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(Context, sink, CancellationToken.None);
        var events = await sink.CollectUntilAsync("(end)");
        Assert.Contains(events, e => e.Type == "error" && e.Json.GetProperty("error").GetProperty("code").GetString() == "session_expired");
        Assert.Equal(1001, events[^1].CloseStatus);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_first_append_of_almost_no_audio_is_taken_and_the_session_goes_on(int bytes)
    {
        // Issue 14: an empty first append divided by the empty ring buffer's length and ended the session.
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await Connector(emulator).ConnectAsync(Context, sink, CancellationToken.None);
        Assert.Equal("session.created", (await sink.NextAsync()).Type);

        await session.SendAudioAsync(0, new byte[bytes], 24000, "tiny", CancellationToken.None);
        await session.SendEventAsync(0, Json("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}"""), CancellationToken.None);
        await session.SendEventAsync(0, Json("""{"type":"response.create"}"""), CancellationToken.None);
        var events = await sink.CollectUntilAsync("response.done");
        Assert.Equal("Echo: Hi", events.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString());
    }
}
