using System.Text.Json;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime;

/// <summary>
/// A client speaking OpenAI Realtime GA to the Gateway holds the same conversation on either provider: text, a
/// spoken turn with server VAD, a tool round trip, barge-in with truncation, and G.711 audio.
/// </summary>
[Collection(PlatformCollection.Name)]
public class RealtimeConversationTests(EndToEndPlatform platform)
{
    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    private async Task<RealtimeTestClient> ConnectAsync(string model)
    {
        var client = await platform.ConnectAsync(model);
        var created = await client.ExpectAsync("session.created", Turn);
        Assert.StartsWith("sess_", created.GetProperty("session").Str("id"));
        return client;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Session_update_returns_the_full_effective_session_in_the_clients_formats(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                instructions = "Be brief.",
                audio = new
                {
                    input = new { format = new { type = "audio/pcmu" }, transcription = new { model = "gpt-4o-transcribe" } },
                    output = new { format = new { type = "audio/pcma" }, voice = "marin" },
                },
            },
        });
        var updated = await client.ExpectAsync("session.updated", Turn);
        var session = updated.GetProperty("session");
        Assert.Equal("Be brief.", session.Str("instructions"));
        Assert.Equal("audio/pcmu", session.GetProperty("audio").GetProperty("input").GetProperty("format").Str("type"));
        Assert.Equal("audio/pcma", session.GetProperty("audio").GetProperty("output").GetProperty("format").Str("type"));
        Assert.Equal("server_vad", session.GetProperty("audio").GetProperty("input").GetProperty("turn_detection").Str("type"));
        Assert.True(session.TryGetProperty("tools", out _), "full session includes tools");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Text_message_gets_the_echo_with_audio_transcript_and_usage(string model)
    {
        await using var client = await ConnectAsync(model);
        await SendUserTextAsync(client, "Hello there");
        var events = await client.CollectUntilAsync("response.done", Turn);

        var types = events.Select(e => e.Type()).ToList();
        AssertInOrder(types, "conversation.item.added", "conversation.item.done", "response.created", "response.output_item.added",
            "response.content_part.added", "response.output_audio.delta", "response.output_audio.done",
            "response.content_part.done", "response.output_item.done", "response.done");
        Assert.Contains("response.output_audio_transcript.delta", types);
        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.Equal("Echo: Hello there", transcript);

        var done = events[^1].GetProperty("response");
        Assert.Equal("completed", done.Str("status"));
        var usage = done.GetProperty("usage");
        Assert.True(usage.GetProperty("output_tokens").GetInt32() > 0, usage.ToString());
        Assert.True(usage.GetProperty("output_token_details").GetProperty("audio_tokens").GetInt32() > 0, usage.ToString());

        // Ids are consistent: every audio delta belongs to the response and its one item.
        var responseId = done.Str("id");
        var itemId = events.Single(e => e.Type() == "response.output_item.added").GetProperty("item").Str("id");
        var deltas = events.Where(e => e.Type() == "response.output_audio.delta").ToList();
        Assert.All(deltas, d => { Assert.Equal(responseId, d.Str("response_id")); Assert.Equal(itemId, d.Str("item_id")); });
        var audioBytes = deltas.Sum(d => Convert.FromBase64String(d.Str("delta")).Length);
        // The emulators speak 60 ms per character: 17 characters ≈ 1 s of 24 kHz PCM16.
        Assert.InRange(audioBytes, 24000 * 2 * 0.5, 24000 * 2 * 2);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Spoken_turn_is_detected_transcribed_and_answered(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", audio = new { input = new { transcription = new { model = "gpt-4o-transcribe" } } } },
        });
        await client.ExpectAsync("session.updated", Turn);

        // 1.5 s of speech-like tone then 1.5 s of silence, in 20 ms frames.
        var audio = TestAudio.Pcm16(TestAudio.Silence(300), TestAudio.Tone(1500), TestAudio.Silence(1500));
        await client.AppendChunkedAsync(audio, 960);

        var events = await client.CollectUntilAsync("response.done", Turn);
        var types = events.Select(e => e.Type()).ToList();
        AssertInOrder(types, "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed",
            "conversation.item.added", "conversation.item.done", "response.created", "response.done");
        var userItem = events.First(e => e.Type() == "input_audio_buffer.committed").Str("item_id");
        Assert.Equal(userItem, events.First(e => e.Type() == "input_audio_buffer.speech_started").Str("item_id"));

        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.Matches(@"^I heard \d+\.\d seconds of audio\.$", transcript);

        // Input transcription is asynchronous: it may come before or after response.done.
        var completed = events.FirstOrDefault(e => e.Type() == "conversation.item.input_audio_transcription.completed");
        if (completed.ValueKind == JsonValueKind.Undefined)
            completed = (await client.CollectUntilAsync("conversation.item.input_audio_transcription.completed", Turn))[^1];
        Assert.Equal(userItem, completed.Str("item_id"));
        Assert.Matches(@"\d+\.\d", completed.Str("transcript"));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Tool_call_round_trip(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new
            {
                type = "realtime",
                tools = new[]
                {
                    new
                    {
                        type = "function", name = "get_weather", description = "Weather for a city",
                        parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                    },
                },
            },
        });
        await client.ExpectAsync("session.updated", Turn);

        await SendUserTextAsync(client, "call get_weather {\"city\":\"Paris\"}");
        var events = await client.CollectUntilAsync("response.done", Turn);
        var call = events.Single(e => e.Type() == "response.function_call_arguments.done");
        Assert.Equal("get_weather", call.Str("name"));
        Assert.Equal("Paris", JsonDocument.Parse(call.Str("arguments")).RootElement.Str("city"));
        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Contains(output.EnumerateArray(), item => item.Str("type") == "function_call" && item.Str("call_id") == call.Str("call_id"));

        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "function_call_output", call_id = call.Str("call_id"), output = "{\"temperature\":21}" },
        });
        await client.SendAsync(new { type = "response.create" });
        var reply = await client.CollectUntilAsync("response.done", Turn);
        var transcript = reply.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        Assert.StartsWith("Tool get_weather returned:", transcript);
        Assert.Contains("21", transcript);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Barge_in_cancels_the_response_and_truncation_is_confirmed(string model)
    {
        await using var client = await ConnectAsync(model);
        await SendUserTextAsync(client, "Please tell me a long story about a lighthouse keeper who counts the waves every night, "
            + "names each one after a friend, and writes their stories into a logbook that nobody ever reads.");

        // Wait until the reply is audibly streaming, then talk over it.
        var before = new List<JsonElement>();
        while (true)
        {
            var e = await client.NextAsync(Turn);
            before.Add(e);
            if (e.Type() == "response.output_audio.delta" && before.Count(x => x.Type() == "response.output_audio.delta") >= 2) break;
        }
        var assistantItem = before.First(e => e.Type() == "response.output_item.added").GetProperty("item").Str("id");
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(1200), TestAudio.Silence(1200)), 960);

        var events = await client.CollectUntilAsync("response.done", Turn);
        var done = events[^1].GetProperty("response");
        Assert.Equal("cancelled", done.Str("status"));
        Assert.Equal("turn_detected", done.GetProperty("status_details").Str("reason"));
        Assert.Contains(events, e => e.Type() == "input_audio_buffer.speech_started");

        // The client played 200 ms of the reply before stopping playback.
        await client.SendAsync(new { type = "conversation.item.truncate", item_id = assistantItem, content_index = 0, audio_end_ms = 200, event_id = "trunc_1" });
        JsonElement truncated;
        do truncated = await client.NextAsync(Turn);
        while (truncated.Type() != "conversation.item.truncated" && truncated.Type() != "error");
        Assert.True(truncated.Type() == "conversation.item.truncated", truncated.ToString());
        Assert.Equal(assistantItem, truncated.Str("item_id"));
        Assert.Equal(200, truncated.GetProperty("audio_end_ms").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Mu_law_client_sends_and_receives_8_khz_g711(string model)
    {
        await using var client = await ConnectAsync(model);
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", audio = new { input = new { format = new { type = "audio/pcmu" } }, output = new { format = new { type = "audio/pcmu" } } } },
        });
        await client.ExpectAsync("session.updated", Turn);

        var speech = TestAudio.MuLaw(TestAudio.Silence(300, 8000), TestAudio.Tone(1500, 8000), TestAudio.Silence(1500, 8000));
        await client.AppendChunkedAsync(speech, 160); // 20 ms μ-law frames
        var events = await client.CollectUntilAsync("response.done", Turn);
        var transcript = events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
        var seconds = double.Parse(System.Text.RegularExpressions.Regex.Match(transcript, @"\d+\.\d").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1.0, 2.5); // the tone's length survived μ-law decoding and resampling

        // Reply audio is μ-law at 8 kHz: one byte per sample, 60 ms per character.
        var bytes = events.Where(e => e.Type() == "response.output_audio.delta").Sum(d => Convert.FromBase64String(d.Str("delta")).Length);
        var expected = transcript.Length * 0.060 * 8000;
        Assert.InRange(bytes, expected * 0.7, expected * 1.3);
    }

    internal static async Task SendUserTextAsync(RealtimeTestClient client, string text)
    {
        await client.SendAsync(new
        {
            type = "conversation.item.create",
            item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
        });
        await client.SendAsync(new { type = "response.create" });
    }

    internal static void AssertInOrder(List<string> types, params string[] expected)
    {
        var position = -1;
        foreach (var type in expected)
        {
            var next = types.FindIndex(position + 1, t => t == type);
            Assert.True(next > position, $"'{type}' missing or out of order in: {string.Join(", ", types.Distinct())}");
            position = next;
        }
    }
}
