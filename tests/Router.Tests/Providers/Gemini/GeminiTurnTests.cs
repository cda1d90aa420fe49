using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

public sealed partial class GeminiTurnTests(ITestOutputHelper output)
{
    private static readonly string[] ResponseLifecycle =
    [
        "response.created",
        "response.output_item.added",
        "conversation.item.added",
        "response.content_part.added",
        "deltas",
        "response.output_audio.done",
        "response.output_audio_transcript.done",
        "response.content_part.done",
        "response.output_item.done",
        "conversation.item.done",
        "response.done",
    ];

    [Fact]
    public async Task Text_turn_echoes_with_the_full_ordered_lifecycle_and_usage()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "conversation.item.create", event_id = "c1", item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text = "hello there" } } } });
        var added = await h.Sink.WaitForAsync("conversation.item.added");
        var userItemId = added.Str("item", "id")!;
        Assert.StartsWith("item_", userItemId);
        Assert.Equal(JsonValueKind.Null, added.Get("previous_item_id")!.Value.ValueKind);
        await h.Sink.WaitForAsync("conversation.item.done", added.Index);
        var start = h.Sink.Events.Count;
        await h.SendAsync(new { type = "response.create" });

        var done = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal(ResponseLifecycle, h.Sink.Sequence(start, done.Index + 1));

        var events = h.Sink.Events.Skip(start).Take(done.Index + 1 - start).ToList();
        var responseId = events[0].Str("response", "id")!;
        Assert.StartsWith("resp_", responseId);
        Assert.Equal("in_progress", events[0].Str("response", "status"));
        var itemAdded = events.First(e => e.Type == "response.output_item.added");
        var itemId = itemAdded.Str("item", "id")!;
        Assert.Equal("assistant", itemAdded.Str("item", "role"));
        Assert.Equal("in_progress", itemAdded.Str("item", "status"));
        Assert.Equal(userItemId, events.First(e => e.Type == "conversation.item.added").Str("previous_item_id"));
        Assert.Equal("audio", events.First(e => e.Type == "response.content_part.added").Str("part", "type"));

        // Every streamed event carries the same ids and indexes.
        foreach (var e in events.Where(e => e.Type.StartsWith("response.output_audio", StringComparison.Ordinal) || e.Type.StartsWith("response.content_part", StringComparison.Ordinal)))
        {
            Assert.Equal(responseId, e.Str("response_id"));
            Assert.Equal(itemId, e.Str("item_id"));
            Assert.Equal(0, e.Get("output_index")!.Value.GetInt32());
            Assert.Equal(0, e.Get("content_index")!.Value.GetInt32());
        }

        var audio = events.Where(e => e.Audio is not null).ToList();
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal(24000, a.SampleRate));
        var transcriptDeltas = string.Concat(events.Where(e => e.Type == "response.output_audio_transcript.delta").Select(e => e.Str("delta")));
        Assert.Equal("Echo: hello there", transcriptDeltas);
        Assert.Equal("Echo: hello there", events.First(e => e.Type == "response.output_audio_transcript.done").Str("transcript"));
        Assert.Equal("Echo: hello there", events.First(e => e.Type == "response.content_part.done").Str("part", "transcript"));
        var itemDone = events.First(e => e.Type == "response.output_item.done");
        Assert.Equal("completed", itemDone.Str("item", "status"));
        Assert.Equal("output_audio", itemDone.Get("item", "content")!.Value[0].GetProperty("type").GetString());

        Assert.Equal(responseId, done.Str("response", "id"));
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.Equal("Echo: hello there", GeminiSessionLifecycleTests.TranscriptOf(done));
        var usage = done.Get("response", "usage")!.Value;
        var input = usage.GetProperty("input_tokens").GetInt32();
        var outputTokens = usage.GetProperty("output_tokens").GetInt32();
        Assert.True(input > 0, "input tokens");
        Assert.True(outputTokens > 0, "output tokens");
        Assert.Equal(input + outputTokens, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(input, usage.GetProperty("input_token_details").GetProperty("text_tokens").GetInt32()
            + usage.GetProperty("input_token_details").GetProperty("audio_tokens").GetInt32()
            + usage.GetProperty("input_token_details").GetProperty("image_tokens").GetInt32());
        Assert.Equal(outputTokens, usage.GetProperty("output_token_details").GetProperty("audio_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_token_details").GetProperty("cached_tokens").GetInt32());
        // Audio reply: 17 chars × 60 ms ≈ 1.02 s at 25 tokens/s.
        Assert.InRange(outputTokens, 20, 30);
    }

    [Fact]
    public async Task Audio_turn_with_server_vad_commits_the_user_item_and_answers()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { transcription = new { model = "gpt-4o-transcribe" } } } } });
        await h.Sink.WaitForAsync("session.updated");
        var start = h.Sink.Events.Count;

        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Silence(0.5, 24000), TestAudio.Speech(1.0, 24000), TestAudio.Silence(1.0, 24000)), 24000);

        var done = await h.Sink.WaitForAsync("response.done", start);
        var sequence = h.Sink.Sequence(start, done.Index + 1).Where(t => !t.StartsWith("conversation.item.input_audio_transcription", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped", "input_audio_buffer.committed", "conversation.item.added", "conversation.item.done", .. ResponseLifecycle],
            sequence);

        var started = h.Sink.Events.First(e => e.Index >= start && e.Type == "input_audio_buffer.speech_started");
        var stopped = h.Sink.Events.First(e => e.Index >= start && e.Type == "input_audio_buffer.speech_stopped");
        var committed = h.Sink.Events.First(e => e.Index >= start && e.Type == "input_audio_buffer.committed");
        var userItem = h.Sink.Events.First(e => e.Index >= start && e.Type == "conversation.item.added");
        var itemId = started.Str("item_id")!;
        Assert.Equal(itemId, stopped.Str("item_id"));
        Assert.Equal(itemId, committed.Str("item_id"));
        Assert.Equal(itemId, userItem.Str("item", "id"));
        Assert.Equal("user", userItem.Str("item", "role"));
        Assert.Equal("input_audio", userItem.Get("item", "content")!.Value[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, userItem.Get("item", "content")!.Value[0].GetProperty("transcript").ValueKind);
        // OpenAI semantics: the start is reported prefix_padding_ms (300) before the onset at 500 ms.
        Assert.InRange(started.Get("audio_start_ms")!.Value.GetInt64(), 180, 260);
        Assert.InRange(stopped.Get("audio_end_ms")!.Value.GetInt64(), 1500, 1800);

        var transcript = GeminiSessionLifecycleTests.TranscriptOf(done)!;
        var match = HeardPattern().Match(transcript);
        Assert.True(match.Success, transcript);
        Assert.InRange(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.9, 1.1);
        Assert.True(done.Get("response", "usage")!.Value.GetProperty("input_token_details").GetProperty("audio_tokens").GetInt32() > 0);

        var completed = await h.Sink.WaitForAsync("conversation.item.input_audio_transcription.completed", start);
        Assert.Equal(itemId, completed.Str("item_id"));
        Assert.Matches(@"^\[audio \d\.\d s\]$", completed.Str("transcript"));
        var delta = h.Sink.Events.First(e => e.Index >= start && e.Type == "conversation.item.input_audio_transcription.delta");
        Assert.Equal(itemId, delta.Str("item_id"));
    }

    [Fact]
    public async Task Audio_at_8_kHz_is_resampled_for_Gemini()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        var start = h.Sink.Events.Count;
        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Silence(0.3, 8000), TestAudio.Speech(1.5, 8000), TestAudio.Silence(1.0, 8000)), 8000, chunkMs: 20);

        var done = await h.Sink.WaitForAsync("response.done", start);
        var match = HeardPattern().Match(GeminiSessionLifecycleTests.TranscriptOf(done)!);
        Assert.True(match.Success);
        Assert.InRange(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1.4, 1.6);
        var started = h.Sink.Events.First(e => e.Index >= start && e.Type == "input_audio_buffer.speech_started");
        // Onset at 300 ms minus the 300 ms prefix padding.
        Assert.InRange(started.Get("audio_start_ms")!.Value.GetInt64(), 0, 60);
    }

    [Fact]
    public async Task Manual_turn_sends_the_committed_audio_on_response_create()
    {
        await using var h = await GeminiHarness.StartAsync(output);
        await h.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = (object?)null, transcription = new { model = "whisper-1" } } } } });
        var updated = await h.Sink.WaitForAsync("session.updated");
        Assert.Equal(JsonValueKind.Null, updated.Get("session", "audio", "input", "turn_detection")!.Value.ValueKind);

        // Too little audio: commit fails.
        await h.SendAudioAsync(TestAudio.Speech(0.05, 24000), 24000);
        await h.SendAsync(new { type = "input_audio_buffer.commit", event_id = "commit_small" });
        var empty = await h.Sink.WaitForAsync("error");
        Assert.Equal("input_audio_buffer_commit_empty", empty.Str("error", "code"));
        Assert.Equal("commit_small", empty.Str("error", "event_id"));
        await h.SendAsync(new { type = "input_audio_buffer.clear" });
        await h.Sink.WaitForAsync("input_audio_buffer.cleared");

        var start = h.Sink.Events.Count;
        await h.SendAudioAsync(TestAudio.Speech(2.0, 24000), 24000);
        await h.SendAsync(new { type = "input_audio_buffer.commit" });
        var committed = await h.Sink.WaitForAsync("input_audio_buffer.committed", start);
        await h.Sink.WaitForAsync("conversation.item.done", start);

        // Committing does not answer (OpenAI semantics); response.create does.
        await Task.Delay(300);
        Assert.DoesNotContain(h.Sink.Events.Skip(start), e => e.Type == "response.created");
        await h.SendAsync(new { type = "response.create" });
        var done = await h.Sink.WaitForAsync("response.done", start);
        Assert.Equal("I heard 2.0 seconds of audio.", GeminiSessionLifecycleTests.TranscriptOf(done));
        Assert.DoesNotContain(h.Sink.Events.Skip(start), e => e.Type.StartsWith("input_audio_buffer.speech", StringComparison.Ordinal));

        var transcription = await h.Sink.WaitForAsync("conversation.item.input_audio_transcription.completed", start);
        Assert.Equal(committed.Str("item_id"), transcription.Str("item_id"));
        Assert.Equal("[audio 2.0 s]", transcription.Str("transcript"));
    }

    [Fact]
    public async Task Second_response_create_while_active_is_an_error_with_the_event_id()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:GenerationSpeed=1"]);
        await h.UserTextAsync("a long enough sentence to keep the model busy");
        var created = await h.Sink.WaitForAsync("response.created");
        await h.SendAsync(new { type = "response.create", event_id = "second" });

        var error = await h.Sink.WaitForAsync("error", created.Index);
        Assert.Equal("conversation_already_has_active_response", error.Str("error", "code"));
        Assert.Equal("second", error.Str("error", "event_id"));
        var done = await h.Sink.WaitForAsync("response.done", created.Index);
        Assert.Equal("completed", done.Str("response", "status"));
        Assert.True(error.Index < done.Index);
        Assert.Single(h.Sink.Events, e => e.Type == "response.created");
    }

    [Fact]
    public async Task Response_cancel_ends_the_response_cancelled_and_the_session_continues()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:GenerationSpeed=1"]);
        await h.SendAsync(new { type = "response.cancel", event_id = "nothing" });
        var notActive = await h.Sink.WaitForAsync("error");
        Assert.Equal("response_cancel_not_active", notActive.Str("error", "code"));
        Assert.Equal("nothing", notActive.Str("error", "event_id"));

        await h.UserTextAsync("please say something rather long so that it can be cancelled");
        var firstAudio = await h.Sink.WaitForAsync("response.output_audio.delta");
        await h.SendAsync(new { type = "response.cancel" });
        var done = await h.Sink.WaitForAsync("response.done", firstAudio.Index);
        Assert.Equal("cancelled", done.Str("response", "status"));
        Assert.Equal("client_cancelled", done.Str("response", "status_details", "reason"));
        var itemDone = h.Sink.Events.Last(e => e.Index < done.Index && e.Type == "response.output_item.done");
        Assert.Equal("incomplete", itemDone.Str("item", "status"));
        Assert.NotNull(done.Get("response", "usage"));

        // Nothing of the cancelled reply follows, and the next turn works.
        var after = h.Sink.Events.Count;
        await h.UserTextAsync("next");
        var next = await h.Sink.WaitForAsync("response.done", after, TimeSpan.FromSeconds(30));
        Assert.Equal("Echo: next", GeminiSessionLifecycleTests.TranscriptOf(next));
        Assert.DoesNotContain(h.Sink.Events.Skip(done.Index + 1), e => e.Audio is not null && e.AudioRef!.Value.ResponseId == done.Str("response", "id"));
    }

    [Fact]
    public async Task Barge_in_cancels_the_response_with_turn_detected()
    {
        await using var h = await GeminiHarness.StartAsync(output, ["GeminiEmulator:Output:GenerationSpeed=1"]);
        await h.UserTextAsync("tell me a rather long story about the sea and the ships on it");
        var firstAudio = await h.Sink.WaitForAsync("response.output_audio_transcript.delta");

        await h.SendAudioAsync(TestAudio.Concat(TestAudio.Speech(0.8, 24000), TestAudio.Silence(0.8, 24000)), 24000);

        var done = await h.Sink.WaitForAsync("response.done", firstAudio.Index);
        Assert.Equal("cancelled", done.Str("response", "status"));
        Assert.Equal("turn_detected", done.Str("response", "status_details", "reason"));
        var speechStarted = h.Sink.Events.First(e => e.Type == "input_audio_buffer.speech_started");
        Assert.True(speechStarted.Index < done.Index);
        var item = done.Get("response", "output")!.Value[0];
        Assert.Equal("incomplete", item.GetProperty("status").GetString());
        var heard = item.GetProperty("content")[0].GetProperty("transcript").GetString()!;
        Assert.StartsWith("Echo:", heard);
        Assert.True(heard.Length < "Echo: tell me a rather long story about the sea and the ships on it".Length);

        // The interruption is itself a user turn: Gemini answers it.
        var next = await h.Sink.WaitForAsync("response.done", done.Index + 1);
        Assert.Matches(HeardPattern(), GeminiSessionLifecycleTests.TranscriptOf(next));
        Assert.Equal("completed", next.Str("response", "status"));
    }

    [GeneratedRegex(@"^I heard (\d+\.\d) seconds of audio\.$")]
    private static partial Regex HeardPattern();
}
