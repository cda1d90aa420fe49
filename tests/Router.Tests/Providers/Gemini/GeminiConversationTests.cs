using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

public sealed class GeminiConversationTests(ITestOutputHelper output)
{
    private static readonly JsonNode WeatherTool = JsonNode.Parse("""
        {"type":"function","name":"get_weather","description":"Weather for a city",
         "parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":["string","null"],"enum":["c","f"]}},
                       "required":["city"],"additionalProperties":false}}
        """)!;

    [Fact]
    public async Task Tool_call_round_trip()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendJsonAsync(new JsonObject
        {
            ["type"] = "session.update",
            ["session"] = new JsonObject { ["type"] = "realtime", ["tools"] = new JsonArray(WeatherTool.DeepClone()) },
        });
        await h.Sink.WaitForAsync("session.updated");

        var start = h.Sink.Events.Count;
        await h.UserTextAsync("call get_weather {\"city\":\"Paris\"}");
        var done = await h.Sink.WaitForAsync("response.done", start);
        var userAdded = h.Sink.Events.First(e => e.Index >= start && e.Type == "conversation.item.added");
        var callStart = h.Sink.Events.First(e => e.Index >= start && e.Type == "response.created").Index;
        Assert.Equal(
            [
                "response.created", "response.output_item.added", "conversation.item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "conversation.item.done", "response.done",
            ],
            h.Sink.Sequence(callStart, done.Index + 1));

        var added = h.Sink.Events.First(e => e.Index > callStart && e.Type == "response.output_item.added");
        Assert.Equal("function_call", added.Str("item", "type"));
        Assert.Equal("get_weather", added.Str("item", "name"));
        Assert.Equal("", added.Str("item", "arguments"));
        var callId = added.Str("item", "call_id")!;
        Assert.False(string.IsNullOrEmpty(callId));
        var argsDone = h.Sink.Events.First(e => e.Index > callStart && e.Type == "response.function_call_arguments.done");
        Assert.Equal(callId, argsDone.Str("call_id"));
        Assert.Equal("get_weather", argsDone.Str("name"));
        Assert.Equal("Paris", JsonDocument.Parse(argsDone.Str("arguments")!).RootElement.GetProperty("city").GetString());
        Assert.Equal(added.Str("item", "id"), argsDone.Str("item_id"));
        Assert.Equal(userAdded.Str("item", "id"), h.Sink.Events.First(e => e.Index > callStart && e.Type == "conversation.item.added").Str("previous_item_id"));
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("function_call", done.Get("response", "output")!.Value[0].GetProperty("type").GetString());

        // Unknown call id → error; the real one → item, then response.create continues the turn.
        await h.SendAsync(new { type = "conversation.item.create", event_id = "bad_call", item = new { type = "function_call_output", call_id = "nope", output = "{}" } });
        var error = await h.Sink.WaitForAsync("error", done.Index);
        Assert.Equal("Tool call ID 'nope' not found in conversation.", error.Str("error", "message"));
        Assert.Equal("bad_call", error.Str("error", "event_id"));

        await h.SendAsync(new { type = "conversation.item.create", item = new { type = "function_call_output", call_id = callId, output = "{\"temp\":21}" } });
        var outputDone = await h.Sink.WaitForAsync("conversation.item.done", error.Index);
        Assert.Equal("function_call_output", outputDone.Str("item", "type"));
        await Task.Delay(200);
        Assert.DoesNotContain(h.Sink.Events.Skip(outputDone.Index), e => e.Type == "response.created");

        await h.SendAsync(new { type = "response.create" });
        var answer = await h.Sink.WaitForAsync("response.done", outputDone.Index);
        Assert.Equal("Tool get_weather returned: {\"temp\":21}", GeminiSessionLifecycleTests.TranscriptOf(answer));
        Assert.Equal("completed", answer.Str("response", "status"));
        // Gemini's turn covers both responses; together they report its usage once.
        var first = done.Get("response", "usage")!.Value.GetProperty("total_tokens").GetInt32();
        var second = answer.Get("response", "usage")!.Value;
        Assert.True(first > 0);
        Assert.True(second.GetProperty("output_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Truncate_trims_the_transcript_to_the_audio_heard()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.UserTextAsync("one two three four five six");
        var done = await h.Sink.WaitForAsync("response.done");
        var item = done.Get("response", "output")!.Value[0];
        var itemId = item.GetProperty("id").GetString()!;
        var audioMs = h.Sink.Events.Where(e => e.Audio is not null).Sum(e => e.Audio!.Length) / 48;

        await h.SendAsync(new { type = "conversation.item.truncate", event_id = "too_far", item_id = itemId, content_index = 0, audio_end_ms = audioMs + 500 });
        var tooFar = await h.Sink.WaitForAsync("error", done.Index);
        Assert.Equal("too_far", tooFar.Str("error", "event_id"));
        Assert.Equal("audio_end_ms", tooFar.Str("error", "param"));

        await h.SendAsync(new { type = "conversation.item.truncate", event_id = "unknown", item_id = "item_nope", content_index = 0, audio_end_ms = 10 });
        var unknown = await h.Sink.WaitForAsync(e => e.Type == "error" && e.Str("error", "event_id") == "unknown", done.Index);
        Assert.Equal("item_truncate_invalid_item_id", unknown.Str("error", "code"));

        var userItemId = h.Sink.Events.First(e => e.Type == "conversation.item.added").Str("item", "id");
        await h.SendAsync(new { type = "conversation.item.truncate", event_id = "user", item_id = userItemId, content_index = 0, audio_end_ms = 0 });
        await h.Sink.WaitForAsync(e => e.Type == "error" && e.Str("error", "event_id") == "user", done.Index);

        await h.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = audioMs / 2 });
        var truncated = await h.Sink.WaitForAsync("conversation.item.truncated", done.Index);
        Assert.Equal(itemId, truncated.Str("item_id"));
        Assert.Equal(audioMs / 2, truncated.Get("audio_end_ms")!.Value.GetInt32());
        Assert.Equal(0, truncated.Get("content_index")!.Value.GetInt32());

        await h.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var retrieved = await h.Sink.WaitForAsync("conversation.item.retrieved", truncated.Index);
        var transcript = retrieved.Get("item", "content")!.Value[0].GetProperty("transcript").GetString()!;
        Assert.StartsWith("Echo: one two", transcript);
        Assert.True(transcript.Length < "Echo: one two three four five six".Length);
        Assert.DoesNotContain("six", transcript);
    }

    [Fact]
    public async Task Items_can_be_retrieved_and_deleted_and_unknown_ids_are_errors()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "conversation.item.create", item = new { id = "item_mine", type = "message", role = "system", content = new[] { new { type = "input_text", text = "Be kind." } } } });
        await h.Sink.WaitForAsync("conversation.item.done");
        await h.SendAsync(new { type = "conversation.item.create", previous_item_id = "root", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "first" } } } });
        var rootInsert = await h.Sink.WaitForAsync(e => e.Type == "conversation.item.added" && e.Str("item", "id") != "item_mine");
        Assert.Equal(JsonValueKind.Null, rootInsert.Get("previous_item_id")!.Value.ValueKind);

        await h.SendAsync(new { type = "conversation.item.create", event_id = "bad_prev", previous_item_id = "item_missing", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "x" } } } });
        var badPrevious = await h.Sink.WaitForAsync("error");
        Assert.Equal("previous_item_id", badPrevious.Str("error", "param"));
        Assert.Equal("bad_prev", badPrevious.Str("error", "event_id"));

        await h.SendAsync(new { type = "conversation.item.retrieve", item_id = "item_mine" });
        var retrieved = await h.Sink.WaitForAsync("conversation.item.retrieved");
        Assert.Equal("system", retrieved.Str("item", "role"));
        Assert.Equal("Be kind.", retrieved.Get("item", "content")!.Value[0].GetProperty("text").GetString());

        await h.SendAsync(new { type = "conversation.item.retrieve", event_id = "r_missing", item_id = "item_missing" });
        var missing = await h.Sink.WaitForAsync(e => e.Type == "error" && e.Str("error", "event_id") == "r_missing");
        Assert.Equal("item_retrieve_invalid_item_id", missing.Str("error", "code"));

        await h.SendAsync(new { type = "conversation.item.delete", item_id = "item_mine" });
        var deleted = await h.Sink.WaitForAsync("conversation.item.deleted");
        Assert.Equal("item_mine", deleted.Str("item_id"));
        await h.SendAsync(new { type = "conversation.item.delete", event_id = "d_again", item_id = "item_mine" });
        var again = await h.Sink.WaitForAsync(e => e.Type == "error" && e.Str("error", "event_id") == "d_again");
        Assert.Equal("item_delete_invalid_item_id", again.Str("error", "code"));
    }

    [Fact]
    public async Task Session_update_after_a_turn_reconnects_with_the_handle_and_the_conversation_continues()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.UserTextAsync("my name is Ada");
        var first = await h.Sink.WaitForAsync("response.done");
        Assert.Equal("Echo: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(first));

        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", instructions = "You are a pirate." } });
        var updated = await h.Sink.WaitForAsync("session.updated", first.Index);
        Assert.Equal("You are a pirate.", updated.Get("session", "instructions")!.Value.GetString());

        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done", updated.Index);
        Assert.Equal("Earlier you said: my name is Ada", GeminiSessionLifecycleTests.TranscriptOf(recall));

        // Audio keeps flowing across a second switch.
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { output = new { voice = "alloy" } }, instructions = "Plain again." } });
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(1.0, 24000), TestAudio.Silence(0.8, 24000)), 24000);
        var audioTurn = await h.Sink.WaitForAsync("response.done", recall.Index + 1);
        Assert.Equal("I heard 1.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(audioTurn));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
    }

    [Fact]
    public async Task GoAway_rolls_the_connection_over_without_the_client_noticing()
    {
        var emulatorTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await GeminiHarness.StartAsync(output,
            ["GeminiEmulator:ConnectionLifetime=00:00:03", "GeminiEmulator:GoAwayLeadTime=00:00:02"], emulatorTime: emulatorTime);
        await h.UserTextAsync("remember the word ocean");
        await h.Sink.WaitForAsync("response.done");

        // The emulator's clock reaches the first connection's goAway (1 s in): the connector rolls over.
        emulatorTime.Advance(TimeSpan.FromSeconds(1));
        await GeminiContinuityTests.WaitUntilAsync(() => h.Continuity.Any(c => c.Kind == "provider_rollover"), TimeSpan.FromSeconds(15));
        var start = h.Sink.Events.Count;
        await h.UserTextAsync("recall");
        var recall = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("Earlier you said: remember the word ocean", GeminiSessionLifecycleTests.TranscriptOf(recall));
        Assert.DoesNotContain(h.Sink.Events, e => e.Type == "error");
        Assert.False(h.Sink.Ended.IsCompleted);
    }
}
