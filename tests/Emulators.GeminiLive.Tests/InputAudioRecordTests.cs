using System.Net;
using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Tests.Infrastructure;
using VoicePlatform.TestSupport.Emulators;

namespace VoicePlatform.Emulators.GeminiLive.Tests;

/// <summary>The opt-in input audio record: exactly the audio the session consumed, across resumptions.</summary>
public sealed class InputAudioRecordTests
{
    private const string RecordOn = "Record:InputAudio=true";

    // Manual activity detection keeps the model quiet while the ramps (loud) stream in.
    private static string Setup(string resumption) =>
        $$$"""{"model":"{{{Wire.NativeAudioModel}}}","realtimeInputConfig":{"automaticActivityDetection":{"disabled":true}},"sessionResumption":{{{resumption}}}}""";

    private static string Resume(string handle) => Setup($$$"""{"handle":"{{{handle}}}","transparent":true}""");

    [Fact]
    public async Task Record_equals_the_sent_audio_once_after_a_transparent_resumption_with_an_exact_replay()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.HttpBase);

        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("""{"transparent":true}"""));
        var old = new ChunkLedger(first);
        await old.AudioAsync(Pcm.Ramp(320, 1));
        await old.MediaChunksAsync(Pcm.Ramp(320, 2), Pcm.Ramp(160, 3)); // deprecated mediaChunks: one message, two blobs
        await old.AudioAsync(Pcm.Ramp(320, 4));
        var (handle, index) = await old.TextForHandleAsync("hi");
        Assert.Equal(4, index);

        // Sent after the handle's state was frozen: not covered by it, so a correct client replays them.
        await old.AudioAsync(Pcm.Ramp(320, 5));
        await old.AudioAsync(Pcm.Ramp(320, 6));
        await first.CloseAsync();

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Resume(handle));
        var resumed = new ChunkLedger(second);
        foreach (var chunk in old.After(index))
        {
            await resumed.AudioAsync(chunk);
        }

        await resumed.AudioAsync(Pcm.Ramp(320, 7));
        await resumed.TextForHandleAsync("sync"); // a reply proves every earlier message was consumed

        var expected = Pcm.Concat(old.UpTo(index), resumed.UpTo(long.MaxValue));
        Assert.Equal(Pcm.Concat([.. Enumerable.Range(1, 7).Select(seed => Pcm.Ramp(seed == 3 ? 160 : 320, seed))]), expected);

        var session = Assert.Single(await record.ListAsync());
        var id = session.GetProperty("id").GetString()!;
        Assert.Equal(2, session.GetProperty("connections").GetInt32());
        Assert.Equal(expected.Length, session.GetProperty("input_audio_bytes").GetInt64());
        Assert.Equal(16000, session.GetProperty("sample_rate").GetInt32());
        Assert.False(session.GetProperty("truncated").GetBoolean());
        Assert.False(session.GetProperty("mixed_rates").GetBoolean());
        Assert.False(session.GetProperty("ended").GetBoolean());
        Assert.EndsWith("Z", session.GetProperty("created_at").GetString());

        var (pcm, rate) = await record.AudioAsync(id);
        Assert.Equal(16000, rate);
        Assert.Equal(expected, pcm);

        await second.CloseAsync();
        Assert.True((await record.WaitForEndedAsync(id)).GetProperty("ended").GetBoolean());
    }

    [Fact]
    public async Task A_client_that_replays_one_chunk_too_many_shows_it_twice()
    {
        // The old connection ends the realistic way: goAway, then the lifetime close.
        await using var host = await EmulatorHost.StartAsync(RecordOn, "ConnectionLifetime=00:00:03", "GoAwayLeadTime=00:00:01");
        using var record = new InputAudioRecordClient(host.HttpBase);

        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("""{"transparent":true}"""));
        var old = new ChunkLedger(first);
        await old.AudioAsync(Pcm.Ramp(320, 1));
        await old.AudioAsync(Pcm.Ramp(320, 2));
        var (handle, index) = await old.TextForHandleAsync("hi");
        await old.AudioAsync(Pcm.Ramp(320, 3));
        await first.WaitForCloseAsync();
        Assert.Equal(1011, first.CloseCode);

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Resume(handle));
        var resumed = new ChunkLedger(second);
        await resumed.AudioAsync(old.UpTo(index)[^640..]); // chunk 2 again: it was covered by the handle
        foreach (var chunk in old.After(index))
        {
            await resumed.AudioAsync(chunk);
        }

        await resumed.TextForHandleAsync("sync");

        var session = Assert.Single(await record.ListAsync());
        var (pcm, _) = await record.AudioAsync(session.GetProperty("id").GetString()!);
        Assert.Equal(Pcm.Concat(Pcm.Ramp(320, 1), Pcm.Ramp(320, 2), Pcm.Ramp(320, 2), Pcm.Ramp(320, 3)), pcm);
        Assert.NotEqual(Pcm.Concat(Pcm.Ramp(320, 1), Pcm.Ramp(320, 2), Pcm.Ramp(320, 3)), pcm);
    }

    [Fact]
    public async Task An_older_handle_restores_its_own_audio_even_after_another_resumption()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.HttpBase);

        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("""{"transparent":true}"""));
        var a = new ChunkLedger(first);
        await a.AudioAsync(Pcm.Ramp(320, 1));
        var (h1, _) = await a.TextForHandleAsync("one");
        await first.CloseAsync();

        await using var second = await host.ConnectAsync();
        await second.SetupAsync(Resume(h1));
        var b = new ChunkLedger(second);
        await b.AudioAsync(Pcm.Ramp(320, 2));
        var (h2, _) = await b.TextForHandleAsync("two");
        await second.CloseAsync();

        // Back to h1 (drops chunk 2), then to h2: its state had consumed chunk 2, so the record has it again.
        await using var third = await host.ConnectAsync();
        await third.SetupAsync(Resume(h1));
        await new ChunkLedger(third).TextForHandleAsync("three");
        var id = Assert.Single(await record.ListAsync()).GetProperty("id").GetString()!;
        Assert.Equal(Pcm.Ramp(320, 1), (await record.AudioAsync(id)).Pcm);
        await third.CloseAsync();

        await using var fourth = await host.ConnectAsync();
        await fourth.SetupAsync(Resume(h2));
        await new ChunkLedger(fourth).TextForHandleAsync("four");
        Assert.Equal(Pcm.Concat(Pcm.Ramp(320, 1), Pcm.Ramp(320, 2)), (await record.AudioAsync(id)).Pcm);
        Assert.Equal(4, Assert.Single(await record.ListAsync()).GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task A_rejected_resumption_leaves_the_record_alone_and_the_fallback_session_starts_a_new_one()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.HttpBase);

        await using var first = await host.ConnectAsync();
        await first.SetupAsync(Setup("""{"transparent":true}"""));
        var a = new ChunkLedger(first);
        await a.AudioAsync(Pcm.Ramp(320, 1));
        var (handle, _) = await a.TextForHandleAsync("hi");
        await first.CloseAsync();

        await using var unknown = await host.ConnectAsync();
        await unknown.SendSetupAsync(Resume("not-a-handle"));
        await unknown.WaitForCloseAsync();
        Assert.Equal(1007, unknown.CloseCode);

        // A known handle with another model is rejected too, after the handle was looked up.
        await using var otherModel = await host.ConnectAsync();
        await otherModel.SendSetupAsync($$$"""{"model":"models/gemini-live-2.5-flash-preview","sessionResumption":{"handle":"{{{handle}}}"}}""");
        await otherModel.WaitForCloseAsync();
        Assert.Equal(1007, otherModel.CloseCode);

        var original = Assert.Single(await record.ListAsync());
        Assert.Equal(1, original.GetProperty("connections").GetInt32());

        await using var fresh = await host.ConnectAsync();
        await fresh.SetupAsync(Setup("""{"transparent":true}"""));
        var b = new ChunkLedger(fresh);
        await b.AudioAsync(Pcm.Ramp(320, 2));
        await b.TextForHandleAsync("again");

        var sessions = await record.ListAsync();
        Assert.Equal(2, sessions.Count);
        Assert.Equal(original.GetProperty("id").GetString(), sessions[0].GetProperty("id").GetString());
        Assert.Equal(Pcm.Ramp(320, 1), (await record.AudioAsync(sessions[0].GetProperty("id").GetString()!)).Pcm);
        Assert.Equal(Pcm.Ramp(320, 2), (await record.AudioAsync(sessions[1].GetProperty("id").GetString()!)).Pcm);
        Assert.Equal(1, sessions[1].GetProperty("connections").GetInt32());
    }

    [Fact]
    public async Task The_cap_truncates_mixed_rates_are_flagged_and_delete_forgets()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn, "Record:MaxBytesPerSession=1000");
        using var record = new InputAudioRecordClient(host.HttpBase);

        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));
        await client.SendAudioChunkAsync(Pcm.Ramp(320, 1));
        await client.SendAudioChunkAsync(Pcm.Ramp(320, 2), rate: 24000);
        await client.SendTextAsync("sync");
        await client.WaitForAsync(Wire.IsTurnComplete);

        var session = Assert.Single(await record.ListAsync());
        Assert.Equal(1000, session.GetProperty("input_audio_bytes").GetInt64());
        Assert.True(session.GetProperty("truncated").GetBoolean());
        Assert.True(session.GetProperty("mixed_rates").GetBoolean());
        Assert.Equal(16000, session.GetProperty("sample_rate").GetInt32());
        var (pcm, rate) = await record.AudioAsync(session.GetProperty("id").GetString()!);
        Assert.Equal(16000, rate);
        Assert.Equal(Pcm.Concat(Pcm.Ramp(320, 1), Pcm.Ramp(320, 2))[..1000], pcm);

        using var deleted = await record.DeleteAsync("/emulator/sessions");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await record.ListAsync());
        using var gone = await record.GetAsync($"/emulator/sessions/{session.GetProperty("id").GetString()}/input-audio");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Without_Record_InputAudio_the_endpoints_answer_404_and_nothing_is_kept()
    {
        await using var host = await EmulatorHost.StartAsync();
        using var record = new InputAudioRecordClient(host.HttpBase);
        await using var client = await host.ConnectAsync();
        await client.SetupAsync(Setup("{}"));
        await client.SendAudioChunkAsync(Pcm.Ramp(320, 1));

        using var list = await record.GetAsync("/emulator/sessions");
        using var audio = await record.GetAsync("/emulator/sessions/any/input-audio");
        using var delete = await record.DeleteAsync("/emulator/sessions");
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, audio.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task An_unknown_session_id_is_404()
    {
        await using var host = await EmulatorHost.StartAsync(RecordOn);
        using var record = new InputAudioRecordClient(host.HttpBase);
        using var response = await record.GetAsync("/emulator/sessions/nope/input-audio");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>What one connection sent, by client message index (setup = 0), to compute what a handle covers.</summary>
    private sealed class ChunkLedger(LiveClient client)
    {
        private readonly List<(long Index, byte[] Pcm)> _audio = [];
        private long _next = 1;

        public async Task AudioAsync(byte[] pcm)
        {
            _audio.Add((_next++, pcm));
            await client.SendAudioChunkAsync(pcm);
        }

        public async Task MediaChunksAsync(params byte[][] blobs)
        {
            _audio.Add((_next++, Pcm.Concat(blobs)));
            var chunks = blobs.Select(b => new { data = Convert.ToBase64String(b), mimeType = "audio/pcm;rate=16000" });
            await client.SendAsync(JsonSerializer.Serialize(new { realtimeInput = new { mediaChunks = chunks } }));
        }

        /// <summary>Sends text and returns the resumable handle after the reply, with its lastConsumedClientMessageIndex.</summary>
        public async Task<(string Handle, long Index)> TextForHandleAsync(string text)
        {
            _next++;
            await client.SendTextAsync(text);
            await client.WaitForAsync(Wire.IsTurnComplete);
            var update = (await client.WaitForAsync(Wire.IsResumable)).Json.GetProperty("sessionResumptionUpdate");
            return (update.GetProperty("newHandle").GetString()!, long.Parse(update.GetProperty("lastConsumedClientMessageIndex").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }

        public byte[] UpTo(long index) => Pcm.Concat([.. _audio.Where(a => a.Index <= index).Select(a => a.Pcm)]);

        public IEnumerable<byte[]> After(long index) => _audio.Where(a => a.Index > index).Select(a => a.Pcm);
    }
}
