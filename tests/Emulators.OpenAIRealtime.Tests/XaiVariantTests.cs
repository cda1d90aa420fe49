using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>The xAI Grok voice agent variant at <c>/xai/v1/realtime</c> (and at the root path with <c>Variant=xai</c>).</summary>
public sealed class XaiVariantTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private EmulatorHost Host => emulator.Host;

    /// <summary>Connects to the xAI path and consumes the two opening events.</summary>
    private static async Task<RealtimeTestClient> ConnectReadyAsync(EmulatorHost host)
    {
        var client = await RealtimeTestClient.ConnectAsync(host.XaiUri(), "xai-key");
        await client.ExpectAsync("conversation.created");
        await client.ExpectAsync("session.created");
        return client;
    }

    private static JsonElement TurnDetection(JsonElement session) => session.GetProperty("turn_detection");

    [Fact]
    public async Task Opening_is_conversation_created_then_session_created_with_the_default_model()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(Host.XaiUri(), "xai-key");
        var conversation = await client.NextAsync();
        Assert.Equal("conversation.created", conversation.Type());
        Assert.StartsWith("conv_", conversation.GetProperty("conversation").Str("id"));
        Assert.Equal("realtime.conversation", conversation.GetProperty("conversation").Str("object"));

        var created = await client.NextAsync();
        Assert.Equal("session.created", created.Type());
        var session = created.GetProperty("session");
        Assert.Equal("grok-voice-think-fast-1.0", session.Str("model"));
        Assert.Equal("ara", session.Str("voice"));
        var vad = TurnDetection(session);
        Assert.Equal("server_vad", vad.Str("type"));
        Assert.Equal(0.5, vad.GetProperty("threshold").GetDouble());
        Assert.Equal(300, vad.GetProperty("prefix_padding_ms").GetInt32());
        Assert.Equal(200, vad.GetProperty("silence_duration_ms").GetInt32());
        Assert.False(session.GetProperty("audio").GetProperty("output").TryGetProperty("voice", out _)); // top level only
    }

    [Fact]
    public async Task Session_first_opening_order_and_the_root_path_as_api_x_ai()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Variant", "xai"), ("OpenAIEmulator:Xai:OpeningOrder", "session-first"));
        await using var client = await RealtimeTestClient.ConnectAsync(new Uri($"ws://{host.BaseAddress.Authority}/v1/realtime?model=grok-voice-fast-1.0"), "xai-key");
        var first = await client.NextAsync();
        Assert.Equal("session.created", first.Type());
        Assert.Equal("grok-voice-fast-1.0", first.GetProperty("session").Str("model"));
        Assert.Equal("conversation.created", (await client.NextAsync()).Type());
    }

    [Fact]
    public async Task Missing_or_wrong_keys_are_refused_with_401()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:ApiKeys:0", "xai-good"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await UpgradeRequest.SendAsync(host.XaiUri())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UpgradeRequest.SendAsync(host.XaiUri(), ("Authorization", "Bearer xai-bad"))).Status);
        await using var ok = await RealtimeTestClient.ConnectAsync(host.XaiUri(), "xai-good");
        await ok.ExpectAsync("conversation.created");
    }

    [Fact]
    public async Task Top_level_voice_and_turn_detection_are_applied_and_echoed_in_xai_shape()
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                voice = "Rex",
                instructions = "Be brief.",
                turn_detection = new { type = "server_vad", silence_duration_ms = 800 },
            },
        });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.Equal("rex", session.Str("voice"));
        Assert.Equal("Be brief.", session.Str("instructions"));
        Assert.Equal(800, TurnDetection(session).GetProperty("silence_duration_ms").GetInt32());

        // The VAD now waits 800 ms of silence: speech from 500 to 1500 ms stops at 2300 ms (200 ms by default).
        var events = await SpeakAsync(client);
        Assert.Equal(2300, events.First(e => e.Type() == "input_audio_buffer.speech_stopped").GetProperty("audio_end_ms").GetInt32());
    }

    [Fact]
    public async Task Nested_GA_voice_and_turn_detection_are_ignored_by_default()
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                audio = new
                {
                    input = new { turn_detection = new { type = "server_vad", silence_duration_ms = 800 } },
                    output = new { voice = "eve" },
                },
            },
        });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.Equal("ara", session.Str("voice"));
        Assert.Equal(200, TurnDetection(session).GetProperty("silence_duration_ms").GetInt32());
        var events = await SpeakAsync(client);
        Assert.Equal(1700, events.First(e => e.Type() == "input_audio_buffer.speech_stopped").GetProperty("audio_end_ms").GetInt32());
    }

    [Fact]
    public async Task Nested_GA_voice_and_turn_detection_are_applied_when_accepted()
    {
        await using var host = await EmulatorHost.StartAsync(("OpenAIEmulator:Xai:NestedAudioFields", "accept"));
        await using var client = await ConnectReadyAsync(host);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                audio = new
                {
                    input = new { turn_detection = new { type = "server_vad", silence_duration_ms = 800 } },
                    output = new { voice = "eve" },
                },
            },
        });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.Equal("eve", session.Str("voice"));
        Assert.Equal(800, TurnDetection(session).GetProperty("silence_duration_ms").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"session.update","session":{"turn_detection":null}}""", "session.turn_detection")]
    [InlineData("""{"type":"session.update","session":{"turn_detection":{"type":"none"}}}""", "session.turn_detection")]
    public async Task Turning_server_VAD_off_is_refused_and_changes_nothing(string update, string param)
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.SendRawAsync(update);
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal(param, error.Str("param"));
        Assert.Contains(param, error.Str("message"));

        // VAD is still on: speech is still detected and answered.
        var events = await SpeakAsync(client);
        Assert.Contains(events, e => e.Type() == "input_audio_buffer.speech_stopped");
        Assert.Equal("completed", events[^1].GetProperty("response").Str("status"));
    }

    [Fact]
    public async Task Unknown_voices_and_GA_transcription_models_are_refused()
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.SendAsync(new { type = "session.update", session = new { voice = "alloy" } });
        var voiceError = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("invalid_value", voiceError.Str("code"));
        Assert.Equal("session.voice", voiceError.Str("param"));

        await client.SendAsync(new { type = "session.update", session = new { audio = new { input = new { transcription = new { model = "whisper-1" } } } } });
        Assert.Equal("session.audio.input.transcription.model", (await client.ExpectAsync("error")).GetProperty("error").Str("param"));
    }

    [Fact]
    public async Task Input_transcription_progress_carries_the_running_transcript()
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.SendAsync(new { type = "session.update", session = new { audio = new { input = new { transcription = new { model = "grok-transcribe" } } } } });
        Assert.Equal("grok-transcribe", (await client.ExpectAsync("session.updated")).GetProperty("session")
            .GetProperty("audio").GetProperty("input").GetProperty("transcription").Str("model"));

        var events = await SpeakAsync(client);
        Assert.DoesNotContain(events, e => e.Type() == "conversation.item.input_audio_transcription.delta");
        var itemId = events.First(e => e.Type() == "input_audio_buffer.committed").Str("item_id");
        var updates = events.Where(e => e.Type() == "conversation.item.input_audio_transcription.updated").ToList();
        var completed = events.Single(e => e.Type() == "conversation.item.input_audio_transcription.completed");
        Assert.Equal("[audio 1.5 s]", completed.Str("transcript")); // 200..1700 ms
        Assert.Equal(["[audio", "[audio 1.5", "[audio 1.5 s]"], updates.Select(u => u.Str("transcript")));
        Assert.All(updates, u => Assert.Equal(itemId, u.Str("item_id")));
        Assert.Equal(itemId, completed.Str("item_id"));
    }

    [Fact]
    public async Task Manual_commit_with_VAD_on_commits_like_GA_without_a_response()
    {
        await using var client = await ConnectReadyAsync(Host);
        await client.AppendAsync(TestAudio.Pcm16(TestAudio.Silence(300)));
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        Assert.Equal("input_audio_buffer.committed", (await client.NextAsync()).Type());
        Assert.Equal("conversation.item.added", (await client.NextAsync()).Type());
        Assert.Equal("conversation.item.done", (await client.NextAsync()).Type());
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        Assert.Equal("input_audio_buffer.cleared", (await client.NextAsync()).Type()); // no response.created in between
    }

    [Fact]
    public async Task Client_secrets_take_only_expires_after_seconds_and_open_xai_sessions()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer xai-key");
        var response = await http.PostAsJsonAsync("/xai/v1/realtime/client_secrets", new { expires_after = new { seconds = 300 } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["value", "expires_at"], body.EnumerateObject().Select(p => p.Name));
        Assert.InRange(body.GetProperty("expires_at").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 290, 301);

        await using (var client = await RealtimeTestClient.ConnectAsync(Host.XaiUri(), body.Str("value")))
        {
            await client.ExpectAsync("conversation.created");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await UpgradeRequest.SendAsync(Host.RealtimeUri(), ("Authorization", $"Bearer {body.Str("value")}"))).Status);

        // OpenAI's session/anchor fields are not part of xAI's request.
        var withSession = await http.PostAsJsonAsync("/xai/v1/realtime/client_secrets", new { expires_after = new { anchor = "created_at", seconds = 300 } });
        Assert.Equal(HttpStatusCode.BadRequest, withSession.StatusCode);
    }

    /// <summary>500 ms silence, 1 s tone, 1.2 s silence; returns the events up to response.done.</summary>
    private static async Task<List<JsonElement>> SpeakAsync(RealtimeTestClient client)
    {
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Silence(500), TestAudio.Tone(1000), TestAudio.Silence(1200)), 4800);
        return await client.CollectUntilAsync("response.done");
    }
}
