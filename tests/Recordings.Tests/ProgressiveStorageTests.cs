using System.Security.Cryptography;
using System.Text.Json;
using static VoicePlatform.Recordings.Tests.Signal;

namespace VoicePlatform.Recordings.Tests;

/// <summary>Parts are stored while the call runs; a crash leaves an assemblable recording; completion yields the WAV.</summary>
public sealed class ProgressiveStorageTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private readonly RecorderFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    /// <summary>Caller speaks continuously at real-time pace until <paramref name="end"/>, flushing every tick.</summary>
    private static async Task SpeakUntilAsync(StereoCallRecorder recorder, TimeSpan end)
    {
        var chunk = Tone(Tick);
        for (var at = TimeSpan.Zero; at < end; at += Tick)
        {
            recorder.AppendCaller(chunk, at);
            await recorder.FlushAsync(at + Tick);
        }
    }

    [Fact]
    public async Task Completed_wav_has_a_correct_header_matching_checksum_and_parts_are_cleaned_up()
    {
        var recorder = _fixture.CreateRecorder(new RecordingOptions { PartDuration = Seconds(1) });
        await SpeakUntilAsync(recorder, Seconds(4));
        var result = await recorder.CompleteAsync(Seconds(4.5));
        await recorder.DisposeAsync();

        var path = _fixture.PathOf(result.Key);
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal(_fixture.Prefix + "recording.wav", result.Key);
        Assert.Equal(bytes.Length, result.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Sha256);
        Assert.Equal(Seconds(4.5), result.Duration);
        Assert.Equal(24_000, result.SampleRate);
        Assert.Equal(2, result.Channels);

        var wav = WavFile.Parse(bytes);
        Assert.Equal(1, wav.AudioFormat);
        Assert.Equal(2, wav.Channels);
        Assert.Equal(24_000, wav.SampleRate);
        Assert.Equal(16, wav.BitsPerSample);
        Assert.Equal(4, wav.BlockAlign);
        Assert.Equal(96_000, wav.ByteRate);
        Assert.Equal(bytes.Length - 44, wav.DataSize);
        Assert.Equal(bytes.Length - 8, wav.RiffSize);
        Assert.Equal((int)(4.5 * Rate), wav.Frames);
        Assert.InRange(WavFile.Rms(wav.Left, 0, 4.0), 6_500, 7_500);

        Assert.Empty(_fixture.PartKeys());
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(_fixture.PathOf(RecordingLayout.ManifestKey(_fixture.Prefix))));
        Assert.True(manifest.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(result.Sha256, manifest.RootElement.GetProperty("sha256").GetString());

        // Idempotent: assembling a completed recording returns the stored result.
        Assert.Equal(result, await RecordingAssembler.AssembleAsync(_fixture.Store, _fixture.Prefix));
    }

    [Fact]
    public async Task Parts_are_stored_while_the_call_runs_and_survive_a_crash_as_an_assemblable_wav()
    {
        var options = new RecordingOptions { PartDuration = Seconds(1), FinalizationDelay = Seconds(0.5) };
        var recorder = _fixture.CreateRecorder(options);
        var crashAt = Seconds(10.3);
        await SpeakUntilAsync(recorder, crashAt);

        // Final up to 10.3 - 0.5 = 9.8 s, so 9 whole one-second parts are stored.
        Assert.Equal(9, recorder.PartsStored);
        Assert.Equal(Seconds(9), recorder.StoredUntil);
        Assert.Equal(Enumerable.Range(1, 9).Select(n => $"part-{n:D5}.pcm"), _fixture.PartKeys());
        Assert.All(_fixture.PartKeys(), name => Assert.Equal(Rate * 4, new FileInfo(Path.Combine(_fixture.PathOf(_fixture.Prefix), name)).Length));

        // Crash: the recorder is abandoned — no CompleteAsync, no DisposeAsync. A sweeper assembles what is there.
        recorder = null!;
        var result = await RecordingAssembler.AssembleAsync(_fixture.Store, _fixture.Prefix, deleteParts: false);

        Assert.NotNull(result);
        var bytes = await File.ReadAllBytesAsync(_fixture.PathOf(result.Key));
        var wav = WavFile.Parse(bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Sha256);
        Assert.Equal(bytes.Length, result.SizeBytes);
        Assert.Equal(Seconds(9), wav.Duration);
        Assert.True(crashAt - wav.Duration < Seconds(2), "lost more than a few seconds");
        Assert.InRange(WavFile.Rms(wav.Left, 0, 9), 6_500, 7_500);
        Assert.InRange(WavFile.Rms(wav.Left, 8.9, 9), 6_500, 7_500); // audio right up to the end of what was stored
        Assert.Equal(9, _fixture.PartKeys().Length);
    }

    [Fact]
    public async Task A_missing_part_assembles_as_silence_keeping_later_audio_in_time()
    {
        var recorder = _fixture.CreateRecorder(new RecordingOptions { PartDuration = Seconds(1), FinalizationDelay = TimeSpan.Zero });
        await SpeakUntilAsync(recorder, Seconds(3));
        File.Delete(Path.Combine(_fixture.PathOf(_fixture.Prefix), "part-00002.pcm"));

        var result = await RecordingAssembler.AssembleAsync(_fixture.Store, _fixture.Prefix, minimumDuration: Seconds(4));
        var wav = _fixture.ReadWav(result!);

        Assert.Equal(4 * Rate, wav.Frames);
        Assert.InRange(WavFile.Rms(wav.Left, 0, 1), 6_500, 7_500);
        Assert.Equal(0, WavFile.Rms(wav.Left, 1, 2));
        Assert.InRange(WavFile.Rms(wav.Left, 2, 3), 6_500, 7_500);
        Assert.Equal(0, WavFile.Rms(wav.Left, 3, 4));
    }

    [Fact]
    public async Task Nothing_stored_means_nothing_to_assemble()
    {
        Assert.Null(await RecordingAssembler.AssembleAsync(_fixture.Store, _fixture.Prefix));
    }

    [Fact]
    public async Task Ten_minute_call_keeps_the_recorder_buffers_bounded()
    {
        var options = new RecordingOptions(); // defaults: 24 kHz, 5 s parts, 2 s finalisation delay
        await using var recorder = _fixture.CreateRecorder(options);
        var caller = Tone(Tick);
        var assistant = Tone(TimeSpan.FromMilliseconds(100), 300);
        long maxBuffered = 0;
        var end = TimeSpan.FromMinutes(10);
        var tick = 0;
        for (var now = TimeSpan.Zero; now < end; now += Tick, tick++)
        {
            recorder.AppendCaller(caller, now);
            // Every 20 s the assistant answers with 6 s of audio, sent in 0.6 s; every other answer is barged in on.
            var intoCycle = now.Ticks % TimeSpan.FromSeconds(20).Ticks;
            if (intoCycle < TimeSpan.FromSeconds(0.6).Ticks)
            {
                for (var i = 0; i < 2; i++)
                    recorder.AppendAssistant(assistant, now, "item");
            }
            if (intoCycle == TimeSpan.FromSeconds(3).Ticks && now.Ticks / TimeSpan.FromSeconds(20).Ticks % 2 == 1)
                recorder.TruncateAssistant(now);
            if (tick % 50 == 0)
                await recorder.FlushAsync(now);
            maxBuffered = Math.Max(maxBuffered, recorder.BufferedBytes);
        }
        var result = await recorder.CompleteAsync(end);

        // The whole call is 57.6 MB of stereo PCM; the recorder holds a window of a few seconds.
        Assert.Equal(end, result.Duration);
        Assert.Equal(44 + 600L * Rate * 4, result.SizeBytes);
        Assert.True(maxBuffered < 2 * 1024 * 1024, $"recorder buffered {maxBuffered} bytes");
        Assert.Equal(0, recorder.DroppedFrames);
    }

    [Fact]
    public async Task Appending_does_not_allocate_once_warm()
    {
        await using var recorder = _fixture.CreateRecorder();
        var chunk = Tone(Tick);
        var now = TimeSpan.Zero;
        for (var i = 0; i < 200; i++, now += Tick) // warm up: JIT and ring growth to the working-set size
        {
            recorder.AppendCaller(chunk, now);
            recorder.AppendAssistant(chunk, now, "item_1");
        }
        await recorder.FlushAsync(now);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++, now += Tick)
        {
            recorder.AppendCaller(chunk, now);
            recorder.AppendAssistant(chunk, now, "item_1");
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 512, "append allocated");
    }
}
