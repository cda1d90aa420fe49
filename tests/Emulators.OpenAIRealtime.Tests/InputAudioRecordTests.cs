using System.Net;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Tests.Infrastructure;
using VoicePlatform.TestSupport.Emulators;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>The opt-in input audio record: exactly the appended audio each session accepted, as PCM16.</summary>
public sealed class InputAudioRecordTests
{
    private static readonly (string, string) RecordOn = ("OpenAIEmulator:Record:InputAudio", "true");

    [Fact]
    public async Task Each_session_records_its_appends_exactly_and_the_listing_is_in_creation_order()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.BaseAddress);

        var first = Ramp(4800, seed: 1);
        var second = Ramp(2400, seed: 2);
        string firstId, secondId;
        await using (var client = await ConnectQuietAsync(host))
        {
            firstId = client.SessionId;
            await client.Realtime.AppendChunkedAsync(first, 961); // odd sizes split samples across appends
            await BarrierAsync(client.Realtime);
        }

        await using (var client = await ConnectQuietAsync(host))
        {
            secondId = client.SessionId;
            await client.Realtime.AppendChunkedAsync(second, 1000);
            await BarrierAsync(client.Realtime);

            var open = (await record.ListAsync()).Single(s => s.GetProperty("id").GetString() == secondId);
            Assert.False(open.GetProperty("ended").GetBoolean());
        }

        Assert.True((await record.WaitForEndedAsync(firstId)).GetProperty("ended").GetBoolean());
        Assert.True((await record.WaitForEndedAsync(secondId)).GetProperty("ended").GetBoolean());
        var sessions = await record.ListAsync();
        Assert.Equal([firstId, secondId], sessions.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([first.Length, second.Length], sessions.Select(s => s.GetProperty("input_audio_bytes").GetInt64()));
        Assert.All(sessions, s =>
        {
            Assert.Equal(1, s.GetProperty("connections").GetInt32());
            Assert.Equal(24000, s.GetProperty("sample_rate").GetInt32());
            Assert.False(s.GetProperty("truncated").GetBoolean());
            Assert.False(s.GetProperty("mixed_rates").GetBoolean());
            Assert.EndsWith("Z", s.GetProperty("created_at").GetString());
        });

        var (pcm, rate) = await record.AudioAsync(firstId);
        Assert.Equal(24000, rate);
        Assert.Equal(first, pcm);
        Assert.Equal(second, (await record.AudioAsync(secondId)).Pcm);
    }

    [Fact]
    public async Task G711_input_is_recorded_as_PCM16_at_8000()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.BaseAddress);

        var samples = TestAudio.Tone(200, 8000);
        var muLaw = TestAudio.MuLaw(samples);
        await using var client = await ConnectQuietAsync(host, new { type = "audio/pcmu" });
        await client.Realtime.AppendChunkedAsync(muLaw, 333);
        await BarrierAsync(client.Realtime);

        var session = Assert.Single(await record.ListAsync());
        Assert.Equal(8000, session.GetProperty("sample_rate").GetInt32());
        Assert.Equal(muLaw.Length * 2, session.GetProperty("input_audio_bytes").GetInt64());
        var (pcm, rate) = await record.AudioAsync(client.SessionId);
        Assert.Equal(8000, rate);
        Assert.Equal(TestAudio.Pcm16([.. muLaw.Select(G711.MuLawToLinear)]), pcm);
    }

    [Fact]
    public async Task A_rejected_append_is_not_recorded()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.BaseAddress);

        var before = Ramp(480, seed: 1);
        var after = Ramp(480, seed: 2);
        await using var client = await ConnectQuietAsync(host);
        await client.Realtime.AppendAsync(before);
        await client.Realtime.SendRawAsync("""{"type":"input_audio_buffer.append","event_id":"bad","audio":"not base64!"}""");
        var error = await client.Realtime.ExpectAsync("error");
        Assert.Equal("bad", error.GetProperty("error").Str("event_id"));
        await client.Realtime.AppendAsync(after);
        await BarrierAsync(client.Realtime);

        Assert.Equal(Concat(before, after), (await record.AudioAsync(client.SessionId)).Pcm);
    }

    [Fact]
    public async Task The_cap_truncates_and_flags_and_delete_forgets_everything()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn, ("OpenAIEmulator:Record:MaxBytesPerSession", "1000"));
        using var record = new InputAudioRecordClient(host.BaseAddress);

        var audio = Ramp(960, seed: 3);
        await using (var client = await ConnectQuietAsync(host))
        {
            await client.Realtime.AppendChunkedAsync(audio, 480);
            await BarrierAsync(client.Realtime);

            var session = Assert.Single(await record.ListAsync());
            Assert.Equal(1000, session.GetProperty("input_audio_bytes").GetInt64());
            Assert.True(session.GetProperty("truncated").GetBoolean());
            Assert.Equal(audio[..1000], (await record.AudioAsync(client.SessionId)).Pcm);
        }

        using var deleted = await record.DeleteAsync("/emulator/sessions");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await record.ListAsync());
        using var gone = await record.GetAsync("/emulator/sessions/anything/input-audio");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Loopback_sessions_are_recorded_too()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.BaseAddress);

        var audio = Ramp(2400, seed: 4);
        await using var client = await RealtimeTestClient.ConnectAsync(host, "gpt-realtime-loopback");
        var id = (await client.ExpectAsync("session.created")).GetProperty("session").Str("id");
        await client.AppendChunkedAsync(audio, 960);
        await client.SendAsync(new { type = "input_audio_buffer.commit" });
        await client.CollectUntilAsync("conversation.item.done");

        Assert.Equal(audio, (await record.AudioAsync(id)).Pcm);
    }

    [Fact]
    public async Task Without_Record_InputAudio_the_endpoints_answer_404()
    {
        await using var host = await EmulatorHost.StartAsync();
        using var record = new InputAudioRecordClient(host.BaseAddress);
        await using var client = await ConnectQuietAsync(host);
        await client.Realtime.AppendAsync(Ramp(480, seed: 1));
        await BarrierAsync(client.Realtime);

        using var list = await record.GetAsync("/emulator/sessions");
        using var audio = await record.GetAsync($"/emulator/sessions/{client.SessionId}/input-audio");
        using var delete = await record.DeleteAsync("/emulator/sessions");
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    /// <summary>A session without turn detection, so appends only fill the buffer; optionally another input format.</summary>
    private static async Task<QuietSession> ConnectQuietAsync(EmulatorHost host, object? format = null)
    {
        var client = await RealtimeTestClient.ConnectAsync(host);
        var id = (await client.ExpectAsync("session.created")).GetProperty("session").Str("id");
        object input = format is null ? new { turn_detection = (object?)null } : new { format, turn_detection = (object?)null };
        await client.SendAsync(new { type = "session.update", session = new { type = "realtime", audio = new { input } } });
        await client.ExpectAsync("session.updated");
        return new QuietSession(client, id);
    }

    /// <summary>Appends are never acknowledged; the answer to a later event proves they were all handled.</summary>
    private static async Task BarrierAsync(RealtimeTestClient client)
    {
        await client.SendAsync(new { type = "input_audio_buffer.clear" });
        await client.ExpectAsync("input_audio_buffer.cleared");
    }

    private static byte[] Ramp(int samples, int seed) =>
        TestAudio.Pcm16([.. Enumerable.Range(0, samples).Select(i => (short)(seed * 7919 + i * 13))]);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed record QuietSession(RealtimeTestClient Realtime, string SessionId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Realtime.DisposeAsync();
    }
}
