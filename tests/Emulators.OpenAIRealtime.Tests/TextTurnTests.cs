using VoicePlatform.TestSupport.Realtime;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class TextTurnTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    private static object UserText(string text, string? eventId = null) => new
    {
        type = "conversation.item.create",
        event_id = eventId,
        item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
    };

    [Fact]
    public async Task Text_turn_streams_the_documented_lifecycle_with_consistent_ids()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("hello there"));
        var added = await client.ExpectAsync("conversation.item.added");
        var userItemId = added.GetProperty("item").Str("id");
        Assert.StartsWith("item_", userItemId);
        await client.ExpectAsync("conversation.item.done");

        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("rate_limits.updated");

        var types = Collapse(events.Select(e => e.Type()));
        Assert.Equal(
        [
            "response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added",
            "response.output_audio_transcript.delta", "response.output_audio.delta", "(deltas)",
            "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
            "response.output_item.done", "conversation.item.done", "response.done", "rate_limits.updated",
        ], types);

        var created = events[0].GetProperty("response");
        var responseId = created.Str("id");
        Assert.StartsWith("resp_", responseId);
        Assert.Equal("in_progress", created.Str("status"));
        Assert.Empty(created.GetProperty("output").EnumerateArray());
        Assert.StartsWith("conv_", created.Str("conversation_id"));

        var itemAdded = events.First(e => e.Type() == "response.output_item.added");
        var assistantId = itemAdded.GetProperty("item").Str("id");
        Assert.Equal("in_progress", itemAdded.GetProperty("item").Str("status"));
        var convAdded = events.First(e => e.Type() == "conversation.item.added");
        Assert.Equal(userItemId, convAdded.Str("previous_item_id"));

        foreach (var e in events.Where(e => e.Type().StartsWith("response.output_audio", StringComparison.Ordinal) || e.Type().StartsWith("response.content_part", StringComparison.Ordinal)))
        {
            Assert.Equal(responseId, e.Str("response_id"));
            Assert.Equal(assistantId, e.Str("item_id"));
            Assert.Equal(0, e.GetProperty("output_index").GetInt32());
            Assert.Equal(0, e.GetProperty("content_index").GetInt32());
        }
        foreach (var e in events)
        {
            Assert.StartsWith("event_", e.Str("event_id"));
        }

        var transcript = string.Concat(events.Where(e => e.Type() == "response.output_audio_transcript.delta").Select(e => e.Str("delta")));
        Assert.Equal("Echo: hello there", transcript);
        Assert.Equal(transcript, events.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript"));
        Assert.True(events.Where(e => e.Type() == "response.output_audio_transcript.delta").All(e => e.TryGetProperty("obfuscation", out _)));

        // ~60 ms of 24 kHz PCM16 per character, in several chunks of differing size.
        var chunks = events.Where(e => e.Type() == "response.output_audio.delta").Select(e => Convert.FromBase64String(e.Str("delta"))).ToList();
        Assert.True(chunks.Count >= 4, $"only {chunks.Count} audio deltas");
        Assert.True(chunks.Select(c => c.Length).Distinct().Count() > 1);
        Assert.Equal("Echo: hello there".Length * 60 * 48, chunks.Sum(c => c.Length));

        var done = events.Single(e => e.Type() == "response.done").GetProperty("response");
        Assert.Equal(responseId, done.Str("id"));
        Assert.Equal("completed", done.Str("status"));
        var content = done.GetProperty("output")[0].GetProperty("content")[0];
        Assert.Equal("output_audio", content.Str("type"));
        Assert.Equal("Echo: hello there", content.Str("transcript"));
        Assert.False(content.TryGetProperty("audio", out _)); // no audio bytes in events

        var usage = done.GetProperty("usage");
        var input = usage.GetProperty("input_token_details");
        var output = usage.GetProperty("output_token_details");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(input.GetProperty("text_tokens").GetInt32() + input.GetProperty("audio_tokens").GetInt32() + input.GetProperty("image_tokens").GetInt32(), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(5, output.GetProperty("text_tokens").GetInt32());                  // ceil(17 / 4)
        Assert.Equal(17 * 60 / 50 + 1, output.GetProperty("audio_tokens").GetInt32());  // ceil(1020 ms / 50)
        Assert.Equal(0, input.GetProperty("cached_tokens").GetInt32());
        Assert.True(input.TryGetProperty("cached_tokens_details", out _));

        var limits = events[^1].GetProperty("rate_limits")[0];
        Assert.Equal("tokens", limits.Str("name"));
        Assert.True(limits.GetProperty("remaining").GetInt32() < limits.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task Second_response_reuses_the_cached_prefix_and_replies_to_the_latest_user_text()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("one"));
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("rate_limits.updated");
        await client.SendAsync(UserText("two"));
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");
        var done = events[^1].GetProperty("response");
        Assert.Equal("Echo: two", done.GetProperty("output")[0].GetProperty("content")[0].Str("transcript"));
        var cached = done.GetProperty("usage").GetProperty("input_token_details").GetProperty("cached_tokens").GetInt32();
        Assert.True(cached > 0 && cached % 64 == 0, $"cached_tokens = {cached}");
    }

    [Fact]
    public async Task Text_modality_streams_output_text_events()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", output_modalities = new[] { "text" } } });
        await client.ExpectAsync("session.updated");
        await client.SendAsync(UserText("plain text please"));
        await client.SendAsync(new { type = "response.create" });
        var events = await client.CollectUntilAsync("response.done");
        Assert.DoesNotContain(events, e => e.Type().Contains("audio", StringComparison.Ordinal));
        Assert.Equal("text", events.Single(e => e.Type() == "response.content_part.added").GetProperty("part").Str("type"));
        var text = string.Concat(events.Where(e => e.Type() == "response.output_text.delta").Select(e => e.Str("delta")));
        Assert.Equal("Echo: plain text please", text);
        Assert.Equal(text, events.Single(e => e.Type() == "response.output_text.done").Str("text"));
        var item = events[^1].GetProperty("response").GetProperty("output")[0];
        Assert.Equal("output_text", item.GetProperty("content")[0].Str("type"));
        Assert.Equal(0, events[^1].GetProperty("response").GetProperty("usage").GetProperty("output_token_details").GetProperty("audio_tokens").GetInt32());
    }

    [Fact]
    public async Task Out_of_band_response_leaves_the_conversation_untouched()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("in band"));
        await client.CollectUntilAsync("conversation.item.done");
        await client.SendAsync(new
        {
            type = "response.create",
            response = new
            {
                conversation = "none",
                metadata = new { purpose = "classify" },
                output_modalities = new[] { "text" },
                input = new object[] { new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "side question" } } } },
            },
        });
        var events = await client.CollectUntilAsync("response.done");
        Assert.DoesNotContain(events, e => e.Type().StartsWith("conversation.item", StringComparison.Ordinal));
        var response = events[^1].GetProperty("response");
        Assert.Equal(JsonValueKind.Null, response.GetProperty("conversation_id").ValueKind);
        Assert.Equal("classify", response.GetProperty("metadata").Str("purpose"));
        Assert.Equal("Echo: side question", response.GetProperty("output")[0].GetProperty("content")[0].Str("text"));
    }

    [Fact]
    public async Task Max_output_tokens_cuts_the_reply_and_marks_it_incomplete()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(UserText("a fairly long sentence that will not fit"));
        await client.SendAsync(new { type = "response.create", response = new { max_output_tokens = 10 } });
        var events = await client.CollectUntilAsync("response.done");
        var response = events[^1].GetProperty("response");
        Assert.Equal("incomplete", response.Str("status"));
        Assert.Equal("max_output_tokens", response.GetProperty("status_details").Str("reason"));
        Assert.True(response.GetProperty("usage").GetProperty("output_tokens").GetInt32() <= 10);
    }

    [Fact]
    public async Task Voice_cannot_change_once_assistant_audio_exists()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { output = new { voice = "marin" } } } });
        Assert.Equal("marin", (await client.ExpectAsync("session.updated")).GetProperty("session").GetProperty("audio").GetProperty("output").Str("voice"));
        await client.SendAsync(UserText("hi"));
        await client.SendAsync(new { type = "response.create" });
        await client.CollectUntilAsync("rate_limits.updated");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { output = new { voice = "cedar" } } } });
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("cannot_update_voice", error.Str("code"));
    }

    private static List<string> Collapse(IEnumerable<string> types)
    {
        // Deltas interleave in a data-dependent way; keep the first transcript and audio delta, fold the rest.
        var result = new List<string>();
        foreach (var t in types)
        {
            var isDelta = t.EndsWith(".delta", StringComparison.Ordinal);
            if (isDelta && result.Contains(t))
            {
                if (result[^1] != "(deltas)")
                {
                    result.Add("(deltas)");
                }
                continue;
            }
            if (isDelta && result.Count > 0 && result[^1] == "(deltas)")
            {
                continue;
            }
            result.Add(t);
        }
        return result;
    }
}
