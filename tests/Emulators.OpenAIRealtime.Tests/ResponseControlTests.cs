using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>Second response.create, cancel, barge-in and truncate, against an emulator that streams at realtime pace.</summary>
public sealed class ResponseControlTests : IAsyncLifetime
{
    private EmulatorHost _paced = null!;

    public async Task InitializeAsync() =>
        _paced = await EmulatorHost.StartAsync(("OpenAIEmulator:ResponseRealtimeFactor", "1"));

    public async Task DisposeAsync() => await _paced.DisposeAsync();

    private static object UserText(string text) => new
    {
        type = "conversation.item.create",
        item = new { type = "message", role = "user", content = new[] { new { type = "input_text", text } } },
    };

    private static async Task<(string ResponseId, string ItemId)> StartLongResponseAsync(RealtimeTestClient client)
    {
        await client.SendAsync(UserText("please tell me a rather long story about the sea"));
        await client.CollectUntilAsync("conversation.item.done");
        await client.SendAsync(new { type = "response.create" });
        var created = await client.ExpectAsync("response.created");
        var events = await client.CollectUntilAsync("response.output_audio.delta");
        var item = events.Single(e => e.Type() == "response.output_item.added").GetProperty("item").Str("id");
        return (created.GetProperty("response").Str("id"), item);
    }

    [Fact]
    public async Task Second_response_create_while_one_is_active_is_an_error_and_the_first_completes()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(_paced);
        var (responseId, _) = await StartLongResponseAsync(client);
        await client.SendAsync(new { type = "response.create", event_id = "second" });
        var events = await client.CollectUntilAsync("error");
        var error = events[^1].GetProperty("error");
        Assert.Equal("conversation_already_has_active_response", error.Str("code"));
        Assert.Equal("second", error.Str("event_id"));
        Assert.Contains(responseId, error.Str("message"));

        var done = (await client.CollectUntilAsync("response.done"))[^1].GetProperty("response");
        Assert.Equal(responseId, done.Str("id"));
        Assert.Equal("completed", done.Str("status"));
    }

    [Fact]
    public async Task Response_cancel_closes_the_stream_as_cancelled()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(_paced);
        var (responseId, itemId) = await StartLongResponseAsync(client);
        await client.SendAsync(new { type = "response.cancel", response_id = responseId });
        var events = await client.CollectUntilAsync("response.done");
        var closing = events.Select(e => e.Type()).Where(t => !t.EndsWith(".delta", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "response.output_audio.done", "response.output_audio_transcript.done", "response.content_part.done",
            "response.output_item.done", "conversation.item.done", "response.done",
        ], closing);
        Assert.Equal("incomplete", events.Single(e => e.Type() == "response.output_item.done").GetProperty("item").Str("status"));
        var response = events[^1].GetProperty("response");
        Assert.Equal("cancelled", response.Str("status"));
        Assert.Equal("cancelled", response.GetProperty("status_details").Str("type"));
        Assert.Equal("client_cancelled", response.GetProperty("status_details").Str("reason"));
        Assert.Equal(itemId, response.GetProperty("output")[0].Str("id"));
        var transcript = response.GetProperty("output")[0].GetProperty("content")[0].Str("transcript");
        Assert.True(transcript.Length < "Echo: please tell me a rather long story about the sea".Length);

        // Nothing is active any more: a second cancel is the benign error and the session goes on.
        await client.ExpectAsync("rate_limits.updated");
        await client.SendAsync(new { type = "response.cancel" });
        Assert.Equal("response_cancel_not_active", (await client.ExpectAsync("error")).GetProperty("error").Str("code"));
        await client.ExpectSilenceAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Speech_during_a_response_interrupts_it()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(_paced);
        await StartLongResponseAsync(client);
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(300)), 4800);

        var events = await client.CollectUntilAsync("response.done");
        var types = events.Select(e => e.Type()).Where(t => !t.EndsWith(".delta", StringComparison.Ordinal)).ToList();
        Assert.Equal("input_audio_buffer.speech_started", types[0]);
        var response = events[^1].GetProperty("response");
        Assert.Equal("cancelled", response.Str("status"));
        Assert.Equal("turn_detected", response.GetProperty("status_details").Str("reason"));
    }

    [Fact]
    public async Task Interrupt_response_false_lets_the_response_finish()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(_paced);
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input = new { turn_detection = new { type = "server_vad", interrupt_response = false } } } } });
        await client.ExpectAsync("session.updated");
        await StartLongResponseAsync(client);
        await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Tone(300)), 4800);
        var done = (await client.CollectUntilAsync("response.done"))[^1];
        Assert.Equal("completed", done.GetProperty("response").Str("status"));
    }

    [Fact]
    public async Task Truncate_cuts_assistant_audio_and_rejects_an_end_past_it()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(_paced);
        var (_, itemId) = await StartLongResponseAsync(client);
        await client.SendAsync(new { type = "response.cancel" });
        await client.CollectUntilAsync("rate_limits.updated");

        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var before = (await client.ExpectAsync("conversation.item.retrieved")).GetProperty("item").GetProperty("content")[0];
        var playedMs = Convert.FromBase64String(before.Str("audio")).Length / 48;
        Assert.True(playedMs > 0);

        await client.SendAsync(new { type = "conversation.item.truncate", event_id = "t1", item_id = itemId, content_index = 0, audio_end_ms = playedMs + 500 });
        var error = (await client.ExpectAsync("error")).GetProperty("error");
        Assert.Equal("invalid_value", error.Str("code"));
        Assert.Equal($"Audio content of {playedMs}ms is already shorter than {playedMs + 500}ms", error.Str("message"));
        Assert.Equal("t1", error.Str("event_id"));

        var end = playedMs / 2;
        await client.SendAsync(new { type = "conversation.item.truncate", item_id = itemId, content_index = 0, audio_end_ms = end });
        var truncated = await client.ExpectAsync("conversation.item.truncated");
        Assert.Equal(itemId, truncated.Str("item_id"));
        Assert.Equal(end, truncated.GetProperty("audio_end_ms").GetInt32());

        await client.SendAsync(new { type = "conversation.item.retrieve", item_id = itemId });
        var after = (await client.ExpectAsync("conversation.item.retrieved")).GetProperty("item").GetProperty("content")[0];
        Assert.Equal(end * 48, Convert.FromBase64String(after.Str("audio")).Length);
        Assert.True(after.Str("transcript").Length < before.Str("transcript").Length);
    }
}
