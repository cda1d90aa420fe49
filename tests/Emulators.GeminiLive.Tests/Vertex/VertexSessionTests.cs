using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;
using VoicePlatform.TestSupport.Vertex;

namespace VoicePlatform.Emulators.GeminiLive.Tests.Vertex;

/// <summary>What differs once a Vertex socket is open: model names, usage names, transcription, scheduling, token expiry, lifetime.</summary>
public sealed class VertexSessionTests
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Tools = ""","tools":[{"functionDeclarations":[{"name":"slow_lookup","behavior":"NON_BLOCKING"}]}]""";

    private static Task<LiveClient> ConnectExpressAsync(EmulatorHost host) =>
        host.ConnectAsync(key: null, path: VertexWire.Path, headers: new Dictionary<string, string> { ["x-goog-api-key"] = "express-key" });

    /// <summary>20 ms of silence: wakes the connection's loop so it looks at the (fake) clock again.</summary>
    private static Task WakeAsync(LiveClient client) => client.SendAudioChunkAsync(new byte[640]);

    [Theory]
    [InlineData("models/gemini-live-2.5-flash-native-audio")]
    [InlineData("gemini-live-2.5-flash-native-audio")]
    [InlineData("projects/emulator-project/locations/us-central1/publishers/google/models/gemini-9-live")]
    [InlineData("projects/emulator-project/locations/us-central1/publishers/openai/models/gemini-live-2.5-flash-native-audio")]
    public async Task A_model_that_is_not_a_published_Vertex_model_closes_1008(string model)
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await ConnectExpressAsync(host);
        await client.SendSetupAsync($$"""{"model":"{{model}}"}""");
        var frames = await client.WaitForCloseAsync();

        Assert.Empty(frames);
        Assert.Equal(1008, client.CloseCode);
        Assert.StartsWith("Publisher model `", client.CloseReason);
        Assert.Contains("was not found", client.CloseReason);
    }

    [Theory]
    [InlineData(VertexWire.Live38, "")]
    [InlineData("gemini-9-live", "Vertex:Models:0=*")]
    [InlineData("gemini-9-live", "Vertex:Models:0=gemini-9-live")]
    public async Task Published_models_open_by_full_resource_name(string id, string setting)
    {
        await using var host = await EmulatorHost.StartAsync(setting.Length > 0 ? [setting] : []);
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup(id));
    }

    [Fact]
    public async Task Usage_uses_candidates_names_on_Vertex()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup());

        await client.SendTextAsync("hello there");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        var usage = frames[^1].Json.GetProperty("usageMetadata");
        Assert.Equal(26, usage.GetProperty("candidatesTokenCount").GetInt32());
        Assert.Equal("AUDIO", usage.GetProperty("candidatesTokensDetails")[0].GetProperty("modality").GetString());
        Assert.False(usage.TryGetProperty("responseTokenCount", out _));
        Assert.False(usage.TryGetProperty("responseTokensDetails", out _));
        Assert.Equal(
            usage.GetProperty("promptTokenCount").GetInt32() + usage.GetProperty("candidatesTokenCount").GetInt32(),
            usage.GetProperty("totalTokenCount").GetInt32());
    }

    [Theory]
    [InlineData(VertexWire.NativeAudio25, false)]
    [InlineData(VertexWire.Live38, true)]
    public async Task The_25_native_audio_model_never_sends_input_transcription_on_Vertex(string id, bool transcribed)
    {
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=300");
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup(id, ""","inputAudioTranscription":{},"outputAudioTranscription":{}"""));

        await client.SendAudioAsync(Pcm.Concat(Pcm.Silence(0.4), Pcm.Tone(1.5), Pcm.Silence(0.6)));
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.StartsWith("I heard", Wire.OutputTranscript(frames));
        Assert.Equal(transcribed, Wire.InputTranscript(frames).Length > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scheduling_is_ignored_on_Vertex_unless_HonourScheduling(bool honour)
    {
        await using var host = await EmulatorHost.StartAsync("Vertex:HonourScheduling=" + honour);
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup(extra: Tools + ""","outputAudioTranscription":{}"""));

        await client.SendTextAsync("call slow_lookup {}");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);
        var id = frames.Single(f => f.Json.Has("toolCall")).Json.GetProperty("toolCall").GetProperty("functionCalls")[0].GetProperty("id").GetString();
        await client.SendAsync($$$"""{"toolResponse":{"functionResponses":[{"id":"{{{id}}}","name":"slow_lookup","response":{"output":"42"},"scheduling":"SILENT"}]}}""");

        if (honour)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForAsync(j => j.Has("serverContent"), TimeSpan.FromMilliseconds(500)));
        }
        else
        {
            // SILENT dropped: the result is spoken when idle, as with no scheduling at all.
            var result = await client.CollectUntilAsync(Wire.IsTurnComplete);
            Assert.Equal("Tool slow_lookup returned: 42", Wire.OutputTranscript(result));
        }
    }

    [Fact]
    public async Task With_CloseOnTokenExpiry_the_socket_closes_1008_when_its_token_expires()
    {
        using var account = ServiceAccount.Create();
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time, "Vertex:CloseOnTokenExpiry=true", "Vertex:TokenLifetime=00:05:00");
        var token = await VertexWire.MintAsync(host, account, Start);
        await using var client = await host.ConnectAsync(key: null, path: VertexWire.Path, headers: VertexWire.Bearer(token));
        await client.SetupAsync(VertexWire.Setup());

        time.Advance(TimeSpan.FromSeconds(299));
        await client.SendTextAsync("still here");
        await client.CollectUntilAsync(Wire.IsTurnComplete);

        time.Advance(TimeSpan.FromSeconds(1));
        await WakeAsync(client);
        var frames = await client.WaitForCloseAsync();

        Assert.DoesNotContain(frames, f => f.Json.Has("goAway"));
        Assert.Equal(1008, client.CloseCode);
        Assert.Contains("ACCESS_TOKEN_EXPIRED", client.CloseReason);
    }

    [Fact]
    public async Task By_default_an_open_socket_outlives_its_token()
    {
        using var account = ServiceAccount.Create();
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time, "Vertex:TokenLifetime=00:05:00");
        var token = await VertexWire.MintAsync(host, account, Start);
        await using var client = await host.ConnectAsync(key: null, path: VertexWire.Path, headers: VertexWire.Bearer(token));
        await client.SetupAsync(VertexWire.Setup());

        time.Advance(TimeSpan.FromSeconds(301));
        await WakeAsync(client);
        await client.SendTextAsync("after expiry");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.NotEmpty(Wire.AudioParts(frames));
        Assert.False(client.IsClosed);
    }

    [Fact]
    public async Task GoAway_comes_9_minutes_after_open_with_30_seconds_left_then_the_close()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time);
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup());

        time.Advance(TimeSpan.FromSeconds(539));
        await client.SendTextAsync("before");
        var before = await client.CollectUntilAsync(Wire.IsTurnComplete);
        Assert.DoesNotContain(before, f => f.Json.Has("goAway"));

        time.Advance(TimeSpan.FromSeconds(1));
        await WakeAsync(client);
        var goAway = await client.WaitForAsync(j => j.Has("goAway"));
        Assert.Equal("30s", goAway.Json.GetProperty("goAway").GetProperty("timeLeft").GetString());

        time.Advance(TimeSpan.FromSeconds(30));
        await WakeAsync(client);
        await client.WaitForCloseAsync();
        Assert.Equal(1011, client.CloseCode);
    }

    [Fact]
    public async Task The_Developer_API_keeps_its_own_lifetime_and_usage_names()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await EmulatorHost.StartAsync(time);
        await using var client = await host.ConnectAsync();
        await client.SetupAsync();

        time.Advance(TimeSpan.FromSeconds(540));
        await client.SendTextAsync("hello");
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        Assert.DoesNotContain(frames, f => f.Json.Has("goAway"));
        Assert.True(frames[^1].Json.GetProperty("usageMetadata").TryGetProperty("responseTokenCount", out _));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExplicitVadSignal_reports_start_and_end_of_speech(bool requested)
    {
        await using var host = await EmulatorHost.StartAsync("Vad:SilenceDurationMs=300");
        await using var client = await ConnectExpressAsync(host);
        await client.SetupAsync(VertexWire.Setup(extra: requested ? ""","explicitVadSignal":true""" : ""","explicitVadSignal":false"""));

        await client.SendAudioAsync(Pcm.Concat(Pcm.Silence(0.4), Pcm.Tone(1.5), Pcm.Silence(0.6)));
        var frames = await client.CollectUntilAsync(Wire.IsTurnComplete);

        var signals = frames
            .Where(f => f.Json.Has("voiceActivityDetectionSignal"))
            .Select(f => f.Json.GetProperty("voiceActivityDetectionSignal").GetProperty("vadSignalType").GetString())
            .ToList();
        if (!requested)
        {
            Assert.Empty(signals);
            return;
        }

        Assert.Equal(["VAD_SIGNAL_TYPE_SOS", "VAD_SIGNAL_TYPE_EOS"], signals);
        var end = frames.FindIndex(f => f.Json.Has("voiceActivityDetectionSignal") && f.Raw.Contains("EOS"));
        var firstAudio = frames.FindIndex(f => Wire.AudioParts([f]).Any());
        Assert.True(end < firstAudio, "the end-of-speech signal precedes the reply");
    }

    [Fact]
    public async Task ExplicitVadSignal_is_an_unknown_field_on_the_Developer_API()
    {
        await using var host = await EmulatorHost.StartAsync();
        await using var client = await host.ConnectAsync();
        await client.SendSetupAsync($$$"""{"model":"{{{Wire.NativeAudioModel}}}","explicitVadSignal":true}""");
        await client.WaitForCloseAsync();

        Assert.Equal(1007, client.CloseCode);
        Assert.Contains("explicitVadSignal", client.CloseReason);
    }
}
