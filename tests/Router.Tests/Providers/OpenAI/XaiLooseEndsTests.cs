using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.OpenAIRealtime;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// xAI's extras through the Router against the emulator's xAI variant: the idle-timeout proactive turn reaches the
/// client as xAI sends it, and turning turn detection off (which xAI cannot do) is refused with a GA error.
/// </summary>
public sealed class XaiLooseEndsTests
{
    private static readonly CatalogModel Model = new() { Id = "grok-voice-think-fast-1.0", Provider = "xai", UpstreamModel = "grok-voice-think-fast-1.0" };

    private static async Task<IProviderSession> ConnectAsync(EmulatorHost emulator, RecordingSink sink)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:XAI:Kind"] = "openai",
            ["Providers:XAI:Dialect"] = "xai",
            ["Providers:XAI:BaseUrl"] = new Uri(emulator.WsBase, "xai/v1").ToString(),
            ["Providers:XAI:ApiKey"] = "xai-key",
            ["Providers:XAI:ConnectTimeout"] = "00:00:05",
        }).Build();
        var connector = new ServiceCollection().AddLogging().AddOpenAIProvider(configuration).BuildServiceProvider()
            .GetServices<IProviderConnector>().Single(c => c.Provider == "xai");
        var session = await connector.ConnectAsync(new ProviderSessionContext("sess_xai", "tenant", Model.Id, Model), sink, CancellationToken.None);
        Assert.Equal("session.created", (await sink.NextAsync()).Type);
        return session;
    }

    private static ValueTask Send(IProviderSession session, string json) => session.SendEventAsync(0, Encoding.UTF8.GetBytes(json), CancellationToken.None);

    [Fact]
    public async Task The_idle_timeout_reaches_the_client_and_its_proactive_turn_is_relayed_with_its_transcript()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(args => OpenAIRealtimeEmulatorApp.Build(args, services => services.AddSingleton<TimeProvider>(time)),
            "OpenAIEmulator:Xai:IdleTimeout=00:00:08");
        var sink = new RecordingSink();
        await using var session = await ConnectAsync(emulator, sink);

        time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal("input_audio_buffer.timeout_triggered", (await sink.NextAsync()).Type);
        var turn = await sink.CollectUntilAsync("response.done");
        Assert.Equal("response.created", turn[0].Type);
        Assert.Equal("completed", turn[^1].Json.GetProperty("response").GetProperty("status").GetString());
        Assert.Contains(turn, e => e.Type == "response.output_audio.delta" && e.Pcm!.Length > 0);
        var transcript = turn.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString();
        Assert.False(string.IsNullOrWhiteSpace(transcript));
        Assert.Equal(transcript, string.Concat(turn.Where(e => e.Type == "response.output_audio_transcript.delta").Select(e => e.Json.GetProperty("delta").GetString())));

        // The session goes on normally after the proactive turn.
        await Send(session, """{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}""");
        await Send(session, """{"type":"response.create"}""");
        var next = await sink.CollectUntilAsync("response.done");
        Assert.DoesNotContain(next, e => e.Type is "error" or "(end)");
        Assert.Equal("Echo: Hi", next.Single(e => e.Type == "response.output_audio_transcript.done").Json.GetProperty("transcript").GetString());
    }

    [Theory]
    [InlineData("""{"type":"realtime","instructions":"Be brief.","audio":{"input":{"turn_detection":null}}}""", "session.audio.input.turn_detection")]
    [InlineData("""{"turn_detection":null}""", "session.turn_detection")]
    public async Task Turning_turn_detection_off_is_refused_with_an_error_and_nothing_of_the_update_applied(string update, string param)
    {
        await using var emulator = await EmulatorHost.StartAsync(OpenAIRealtimeEmulatorApp.Build);
        var sink = new RecordingSink();
        await using var session = await ConnectAsync(emulator, sink);

        await Send(session, $$"""{"type":"session.update","event_id":"evt_off","session":{{update}}}""");
        var error = await sink.NextAsync();
        Assert.Equal("error", error.Type);
        var body = error.Json.GetProperty("error");
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_value", body.GetProperty("code").GetString());
        Assert.Equal(param, body.GetProperty("param").GetString());
        Assert.Equal("evt_off", body.GetProperty("event_id").GetString());

        // The update did not reach xAI: the next update's session.updated still has server VAD and no instructions.
        await Send(session, """{"type":"session.update","session":{"audio":{"output":{"voice":"eve"}}}}""");
        var updated = (await sink.CollectUntilAsync("session.updated")).Last().Json.GetProperty("session");
        Assert.Equal("server_vad", updated.GetProperty("audio").GetProperty("input").GetProperty("turn_detection").GetProperty("type").GetString());
        Assert.NotEqual("Be brief.", updated.TryGetProperty("instructions", out var instructions) ? instructions.GetString() : null);
    }
}
