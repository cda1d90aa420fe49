using VoicePlatform.TestSupport.Realtime;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class AudioTurnTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    [Fact]
    public async Task Server_vad_turn_runs_speech_started_to_response_done_with_one_item_id()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                audio = new
                {
                    input = new
                    {
                        transcription = new { model = "whisper-1" },
                        turn_detection = new { type = "server_vad", silence_duration_ms = 500, prefix_padding_ms = 300 },
                    },
                },
            },
        });
        var updated = await client.ExpectAsync("session.updated");
        Assert.Equal(500, updated.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection").GetProperty("silence_duration_ms").GetInt32());

        // 500 ms silence, 1 s of "speech", 700 ms silence; odd chunk size splits samples across appends.
        var audio = TestAudio.Pcm16(TestAudio.Silence(500), TestAudio.Tone(1000), TestAudio.Silence(700));
        await client.AppendChunkedAsync(audio, 4801);

        var events = await client.CollectUntilAsync("response.done");
        var types = events.Select(e => e.Type()).ToList();
        Assert.Equal(
        [
            "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
            "conversation.item.added", "conversation.item.done", "response.created",
        ], types.Take(6));

        var started = events[0];
        var itemId = started.Str("item_id");
        Assert.Equal(200, started.GetProperty("audio_start_ms").GetInt32());   // onset 500 - prefix 300
        Assert.Equal(2000, events[1].GetProperty("audio_end_ms").GetInt32()); // speech end 1500 + 500 silence
        Assert.All(events.Take(5), e => Assert.Equal(itemId, e.TryGetProperty("item_id", out var id) ? id.GetString() : e.GetProperty("item").Str("id")));
        Assert.Equal(JsonValueKind.Null, events[2].GetProperty("previous_item_id").ValueKind);
        var userItem = events[3].GetProperty("item");
        Assert.Equal("user", userItem.Str("role"));
        Assert.Equal("input_audio", userItem.GetProperty("content")[0].Str("type"));
        Assert.Equal(JsonValueKind.Null, userItem.GetProperty("content")[0].GetProperty("transcript").ValueKind);

        // Input transcription is asynchronous: after response.created, before the reply finishes here.
        var createdAt = types.IndexOf("response.created");
        var completedAt = types.IndexOf("conversation.item.input_audio_transcription.completed");
        Assert.True(completedAt > createdAt);
        Assert.True(types.IndexOf("conversation.item.input_audio_transcription.delta") > createdAt);
        var completed = events[completedAt];
        Assert.Equal("[audio 1.8 s]", completed.Str("transcript"));
        Assert.Equal(itemId, completed.Str("item_id"));
        Assert.Equal("duration", completed.GetProperty("usage").Str("type"));

        var response = events[^1].GetProperty("response");
        Assert.Equal("I heard 1.8 seconds of audio.", response.GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
        var details = response.GetProperty("usage").GetProperty("input_token_details");
        Assert.Equal(18, details.GetProperty("audio_tokens").GetInt32()); // 1800 ms at 1 token / 100 ms

        // The committed item keeps exactly the [200, 2000) ms of audio, retrievable with its transcript.
        await client.CollectUntilAsync("rate_limits.updated");
        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var retrieved = (await client.ExpectAsync("conversation.item.retrieved")).GetProperty("item").GetProperty("content")[0];
        Assert.Equal(1800 * 48, Convert.FromBase64String(retrieved.Str("audio")).Length);
        Assert.Equal("[audio 1.8 s]", retrieved.Str("transcript"));
    }

    [Fact]
    public async Task Quiet_audio_never_triggers_the_vad()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(1000, amplitude: 30), TestAudio.Silence(600)), 4800);
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Threshold_is_honoured()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        // -35 dBFS passes the default threshold 0.5 but not 0.9 (-15 dBFS).
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = new { type = "server_vad", threshold = 0.9 } } } } });
        await client.ExpectAsync("session.updated");
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(800, amplitude: 1500), TestAudio.Silence(500)), 4800);
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task Manual_commit_with_turn_detection_null_creates_no_response_until_asked()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null } } } });
        var updated = await client.ExpectAsync("session.updated");
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection").ValueKind);

        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(700), TestAudio.Silence(800)), 9600);
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300)); // no VAD, no ack for append

        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var committed = await client.ExpectAsync("input_audio_buffer.committed");
        var added = await client.ExpectAsync("conversation.item.added");
        Assert.Equal(committed.Str("item_id"), added.GetProperty("item").Str("id"));
        await client.ExpectAsync("conversation.item.done");
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300));

        await client.SendAsync(new { type = "response.create" });
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("I heard 1.5 seconds of audio.", done.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));

        // Commit of an empty buffer is an error; clear is acknowledged.
        await client.CollectUntilAsync("rate_limits.updated");
        await client.SendAsync(new { type = "input_audio_buffer.commit", event_id = "c1" });
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("input_audio_buffer_commit_empty", error.Str("code"));
        Assert.Contains("0.00ms", error.Str("message"));
        Assert.Equal("c1", error.Str("event_id"));
        await client.AppendAsync(TestAudio.Pcm16(TestAudio.Tone(200)));
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.ExpectAsync("input_audio_buffer.cleared");
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        Assert.Equal("input_audio_buffer_commit_empty", (await client.ExpectAsync("error")).GetProperty("error").Str("code"));
    }

    [Fact]
    public async Task Mu_law_in_and_out_at_8_kHz()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                audio = new
                {
                    input = new { format = new { type = "audio/pcmu" }, turn_detection = new { type = "server_vad", silence_duration_ms = 400 } },
                    output = new { format = new { type = "audio/pcmu" } },
                },
            },
        });
        var session = (await client.ExpectAsync("session.updated")).GetProperty("session");
        Assert.Equal("audio/pcmu", session.GetProperty("audio").GetProperty("input").GetProperty("format").Str("type"));
        Assert.False(session.GetProperty("audio").GetProperty("input").GetProperty("format").TryGetProperty("rate", out _));

        // 20 ms Twilio-style frames of 160 bytes.
        var audio = TestAudio.MuLaw(TestAudio.Silence(400, 8000), TestAudio.Tone(1200, 8000), TestAudio.Silence(600, 8000));
        await client.AppendChunkedAsync(audio, 160);
        var events = await client.CollectUntilAsync("response.done");
        Assert.Equal(100, events[0].GetProperty("audio_start_ms").GetInt32());
        Assert.Equal(2000, events.Single(e => e.Type() == "input_audio_buffer.speech_stopped").GetProperty("audio_end_ms").GetInt32());
        var reply = "I heard 1.9 seconds of audio.";
        Assert.Equal(reply, events[^1].GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
        var bytes = events.Where(e => e.Type() == "response.output_audio.delta").Sum(e => Convert.FromBase64String(e.Str("delta")).Length);
        Assert.Equal(reply.Length * 60 * 8, bytes); // 8 bytes per ms of μ-law
    }

    [Fact]
    public async Task Idle_timeout_commits_the_silence_and_responds()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = new { type = "server_vad", idle_timeout_ms = 5000 } } } } });
        Assert.Equal(5000, (await client.ExpectAsync("session.updated")).GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection").GetProperty("idle_timeout_ms").GetInt32());
        await client.SendAsync(new { type = "conversation.item.create", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hi" } } } });
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("rate_limits.updated");

        // Idle time is measured on the audio clock: 5.2 s of silence, sent faster than realtime.
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Silence(5200)), 9600);
        var events = await client.CollectUntilAsync("response.done");
        Assert.Equal(
            ["input_audio_buffer.timeout_triggered", "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done", "response.created"],
            events.Take(5).Select(e => e.Type()));
        Assert.Equal(0, events[0].GetProperty("audio_start_ms").GetInt32());
        Assert.Equal(5000, events[0].GetProperty("audio_end_ms").GetInt32());
        Assert.Equal(events[0].Str("item_id"), events[1].Str("item_id"));
        Assert.Equal("I heard 5.0 seconds of audio.", events[^1].GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
    }

    [Fact]
    public async Task Semantic_vad_eagerness_sets_the_end_of_turn_silence()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = new { type = "semantic_vad", eagerness = "high", create_response = false } } } } });
        var td = (await client.ExpectAsync("session.updated")).GetProperty("session").GetProperty("audio").GetProperty("input").GetProperty("turn_detection");
        Assert.Equal("semantic_vad", td.Str("type"));
        Assert.Equal("high", td.Str("eagerness"));
        Assert.False(td.TryGetProperty("silence_duration_ms", out _));

        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(600), TestAudio.Silence(400)), 4800);
        var events = await client.CollectUntilAsync("conversation.item.done");
        Assert.Equal(900, events.Single(e => e.Type() == "input_audio_buffer.speech_stopped").GetProperty("audio_end_ms").GetInt32()); // 600 + 300 ms ("high")
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(300)); // create_response: false
    }
}
