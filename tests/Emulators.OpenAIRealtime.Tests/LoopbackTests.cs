using VoicePlatform.TestSupport.Realtime;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

public sealed class LoopbackTests(DefaultEmulator emulator) : IClassFixture<DefaultEmulator>
{
    [Fact]
    public async Task Loopback_model_echoes_each_chunk_immediately_inside_one_response()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host, model: "gpt-realtime-loopback");
        var first = TestAudio.Pcm16(TestAudio.Tone(20));
        await client.AppendAsync(first);
        var opening = await client.CollectUntilAsync("response.output_audio.delta", TimeSpan.FromSeconds(2));
        Assert.Equal(
            ["response.created", "response.output_item.added", "conversation.item.added", "response.content_part.added", "response.output_audio.delta"],
            opening.Select(e => e.Type()));
        Assert.Equal(Convert.ToBase64String(first), opening[^1].Str("delta"));
        var responseId = opening[0].GetProperty("response").Str("id");

        // Silence too: no VAD wait, every chunk comes straight back, in the same response.
        var second = TestAudio.Pcm16(TestAudio.Silence(20));
        await client.AppendAsync(second);
        var echo = await client.ExpectAsync("response.output_audio.delta", TimeSpan.FromSeconds(2));
        Assert.Equal(Convert.ToBase64String(second), echo.Str("delta"));
        Assert.Equal(responseId, echo.Str("response_id"));

        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        var closing = await client.CollectUntilAsync("input_audio_buffer.committed");
        var done = closing.Single(e => e.Type() == "response.done").GetProperty("response");
        Assert.Equal("completed", done.Str("status"));
        Assert.Equal(1, done.GetProperty("usage").GetProperty("output_token_details").GetProperty("audio_tokens").GetInt32()); // 40 ms
    }

    [Fact]
    public async Task Loopback_transcodes_when_output_format_differs()
    {
        await using var client = await RealtimeTestClient.ConnectReadyAsync(emulator.Host, model: "gpt-realtime-loopback");
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { output = new { format = new { type = "audio/pcmu" } } } } });
        await client.ExpectAsync("session.updated");
        await client.AppendAsync(TestAudio.Pcm16(TestAudio.Tone(30)));
        var delta = (await client.CollectUntilAsync("response.output_audio.delta"))[^1];
        Assert.Equal(30 * 8, Convert.FromBase64String(delta.Str("delta")).Length);
    }
}
