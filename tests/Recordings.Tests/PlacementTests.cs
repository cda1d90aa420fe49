using static VoicePlatform.Recordings.Tests.Signal;

namespace VoicePlatform.Recordings.Tests;

/// <summary>Where audio lands on the stereo timeline.</summary>
public sealed class PlacementTests : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private readonly RecorderFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Caller_tone_from_1_to_2_seconds_is_only_in_the_left_channel_in_that_window()
    {
        await using var recorder = _fixture.CreateRecorder(new RecordingOptions { PartDuration = Seconds(1) });
        foreach (var (chunk, offset) in Split(Tone(Seconds(1)), Tick))
        {
            var at = Seconds(1) + TimeSpan.FromTicks(offset / 2 * TimeSpan.TicksPerSecond / Rate);
            recorder.AppendCaller(chunk, at);
            await recorder.FlushAsync(at + Tick);
        }
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(3)));

        Assert.InRange(WavFile.Rms(wav.Left, 1.0, 2.0), 6_500, 7_500); // sine of amplitude 10 000
        Assert.Equal(0, WavFile.Rms(wav.Left, 0, 1.0));
        Assert.Equal(0, WavFile.Rms(wav.Left, 2.0, 3.0));
        Assert.Equal(0, WavFile.Rms(wav.Right, 0, 3.0));
    }

    [Fact]
    public async Task Assistant_tone_is_only_in_the_right_channel_in_its_window()
    {
        await using var recorder = _fixture.CreateRecorder(new RecordingOptions { PartDuration = Seconds(1) });
        foreach (var (chunk, offset) in Split(Tone(Seconds(1), 300), Tick))
        {
            var at = Seconds(1) + TimeSpan.FromTicks(offset / 2 * TimeSpan.TicksPerSecond / Rate);
            recorder.AppendAssistant(chunk, at);
            await recorder.FlushAsync(at + Tick);
        }
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(3)));

        Assert.InRange(WavFile.Rms(wav.Right, 1.0, 2.0), 6_500, 7_500);
        Assert.Equal(0, WavFile.Rms(wav.Right, 0, 1.0));
        Assert.Equal(0, WavFile.Rms(wav.Right, 2.0, 3.0));
        Assert.Equal(0, WavFile.Rms(wav.Left, 0, 3.0));
    }

    [Fact]
    public async Task Assistant_bursts_sent_faster_than_real_time_play_sequentially_at_real_time_pace()
    {
        await using var recorder = _fixture.CreateRecorder();
        var speech = Ramp(3 * Rate);
        var sent = Seconds(1);
        foreach (var (chunk, _) in Split(speech, TimeSpan.FromMilliseconds(100)))
        {
            recorder.AppendAssistant(chunk, sent); // 100 ms of audio every 10 ms: 10x real time
            await recorder.FlushAsync(sent);
            sent += TimeSpan.FromMilliseconds(10);
        }
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(5)));

        Assert.Equal(Samples(speech), wav.Right[Rate..(4 * Rate)]);
        Assert.Equal((Rate, 4 * Rate - 1), WavFile.NonZeroSpan(wav.Right));
        Assert.Equal((-1, -1), WavFile.NonZeroSpan(wav.Left));
    }

    [Fact]
    public async Task Truncation_removes_assistant_audio_after_the_truncation_time_and_later_audio_starts_fresh()
    {
        await using var recorder = _fixture.CreateRecorder();
        var response = Ramp(5 * Rate);
        var sent = Seconds(1);
        foreach (var (chunk, _) in Split(response, TimeSpan.FromMilliseconds(100)))
        {
            recorder.AppendAssistant(chunk, sent);
            sent += TimeSpan.FromMilliseconds(10);
        }
        await recorder.FlushAsync(Seconds(2));
        recorder.TruncateAssistant(Seconds(2.5)); // caller barged in; client stopped playback at 2.5 s
        await recorder.FlushAsync(Seconds(3));
        var next = Ramp(Rate / 2, first: 20_000);
        recorder.AppendAssistant(next, Seconds(3));
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(5)));

        Assert.Equal(Samples(response)[..(int)(1.5 * Rate)], wav.Right[Rate..(int)(2.5 * Rate)]);
        Assert.All(wav.Right[(int)(2.5 * Rate)..(3 * Rate)], s => Assert.Equal(0, s));
        Assert.Equal(Samples(next), wav.Right[(3 * Rate)..(int)(3.5 * Rate)]);
        Assert.All(wav.Right[(int)(3.5 * Rate)..], s => Assert.Equal(0, s));
        Assert.Equal(0, recorder.LateTruncatedFrames);
    }

    [Fact]
    public async Task Item_truncation_uses_the_item_relative_audio_end()
    {
        await using var recorder = _fixture.CreateRecorder();
        recorder.AppendAssistant(Ramp(4 * Rate), Seconds(1), "item_a");
        await recorder.FlushAsync(Seconds(1.5));

        Assert.False(recorder.TruncateAssistantItem("item_other", TimeSpan.FromMilliseconds(100)));
        Assert.True(recorder.TruncateAssistantItem("item_a", TimeSpan.FromMilliseconds(700)));
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(6)));

        Assert.Equal((Rate, (int)(1.7 * Rate) - 1), WavFile.NonZeroSpan(wav.Right));
    }

    [Fact]
    public async Task Truncation_behind_the_finalised_position_cannot_remove_finalised_audio_and_is_counted()
    {
        await using var recorder = _fixture.CreateRecorder(new RecordingOptions { FinalizationDelay = Seconds(0.5) });
        recorder.AppendAssistant(Ramp(3 * Rate), Seconds(1));
        await recorder.FlushAsync(Seconds(3)); // final up to 2.5 s
        recorder.TruncateAssistant(Seconds(2));
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(5)));

        Assert.Equal((Rate, (int)(2.5 * Rate) - 1), WavFile.NonZeroSpan(wav.Right));
        Assert.Equal(Rate / 2, recorder.LateTruncatedFrames);
    }

    [Fact]
    public async Task Caller_chunks_arriving_early_are_contiguous_small_gaps_close_and_real_gaps_stay_silent()
    {
        await using var recorder = _fixture.CreateRecorder();
        var speech = Ramp(Rate);
        var arrival = Seconds(1);
        foreach (var (chunk, _) in Split(speech, TimeSpan.FromMilliseconds(100)))
        {
            recorder.AppendCaller(chunk, arrival); // 100 ms chunks arriving 5 ms apart
            arrival += TimeSpan.FromMilliseconds(5);
        }
        var afterJitter = Ramp(Rate / 10, first: 10_000);
        recorder.AppendCaller(afterJitter, Seconds(2.05)); // 50 ms late: jitter, continues at 2.0 s
        var afterPause = Ramp(Rate / 10, first: 20_000);
        recorder.AppendCaller(afterPause, Seconds(3)); // a real pause
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(4)));

        Assert.Equal(Samples(speech), wav.Left[Rate..(2 * Rate)]);
        Assert.Equal(Samples(afterJitter), wav.Left[(2 * Rate)..(int)(2.1 * Rate)]);
        Assert.All(wav.Left[(int)(2.1 * Rate)..(3 * Rate)], s => Assert.Equal(0, s));
        Assert.Equal(Samples(afterPause), wav.Left[(3 * Rate)..(int)(3.1 * Rate)]);
        Assert.Equal((Rate, (int)(3.1 * Rate) - 1), WavFile.NonZeroSpan(wav.Left));
    }

    [Fact]
    public async Task Caller_audio_held_up_by_a_stall_and_delivered_in_a_burst_closes_the_gap_it_left()
    {
        await using var recorder = _fixture.CreateRecorder();
        var speech = Ramp(2 * Rate); // 2 s in 20 ms chunks: 100 chunks, sent in real time from 1.0 s
        var chunks = Split(speech, Tick).Select(c => c.Chunk).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            // Chunks 25..64 (0.8 s) are held up by a stall and all arrive at 2.3 s, with the next one; then real time again.
            var at = i is >= 25 and <= 65 ? Seconds(2.3) + TimeSpan.FromMilliseconds(i - 25) : Seconds(1) + Tick * i;
            recorder.AppendCaller(chunks[i], at);
            await recorder.FlushAsync(at);
        }
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(4)));

        // The speech is back to back where it started, as the microphone captured it: no hole, nothing doubled.
        Assert.Equal(Samples(speech), wav.Left[Rate..(3 * Rate)]);
        Assert.Equal((Rate, 3 * Rate - 1), WavFile.NonZeroSpan(wav.Left));
    }

    [Theory]
    [InlineData(1)] // flushed every 20 ms
    [InlineData(150)] // flushed every 3 s: the last flush was long before the burst
    public async Task Caller_audio_held_up_longer_than_the_finalisation_delay_closes_the_gap_only_down_to_it(int chunksPerFlush)
    {
        await using var recorder = _fixture.CreateRecorder();
        var speech = Ramp(4 * Rate); // 4 s in 20 ms chunks from 1.0 s
        var chunks = Split(speech, Tick).Select(c => c.Chunk).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            // Chunks 25..174 (3 s) are held up by a stall and all arrive at 4.5 s, with the next one; then real time again.
            var at = i is >= 25 and <= 175 ? Seconds(4.5) : Seconds(1) + Tick * i;
            recorder.AppendCaller(chunks[i], at);
            if (i % chunksPerFlush == 0) await recorder.FlushAsync(at);
        }
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(7)));

        // Audio is editable for FinalizationDelay (2 s) after it is due: the held-up run moves back from 4.5 s to 2.5 s,
        // never further, whenever the recorder happened to flush; the Gateway's speech cues rely on that (UserSpeechClock).
        var (held, heard) = (Samples(speech)[(Rate / 2)..], WavFile.NonZeroSpan(wav.Left));
        Assert.Equal(Samples(speech)[..(Rate / 2)], wav.Left[Rate..(Rate * 3 / 2)]);
        Assert.Equal(held, wav.Left[(Rate * 5 / 2)..(Rate * 5 / 2 + held.Length)]);
        Assert.Equal((Rate, Rate * 5 / 2 + held.Length - 1), heard);
    }

    [Fact]
    public async Task Caller_audio_resuming_in_real_time_after_a_pause_keeps_the_pause()
    {
        await using var recorder = _fixture.CreateRecorder();
        var first = Ramp(Rate / 2);
        var second = Ramp(Rate / 2, first: 15_000);
        foreach (var (chunk, offset) in Split(first, Tick))
            recorder.AppendCaller(chunk, Seconds(1) + TimeSpan.FromTicks(offset / 2 * TimeSpan.TicksPerSecond / Rate));
        foreach (var (chunk, offset) in Split(second, Tick)) // resumes at 2.0 s; each chunk 10 ms early (jitter)
            recorder.AppendCaller(chunk, Seconds(2) + TimeSpan.FromTicks(offset / 2 * TimeSpan.TicksPerSecond / Rate) - TimeSpan.FromMilliseconds(offset == 0 ? 0 : 10));
        var wav = _fixture.ReadWav(await recorder.CompleteAsync(Seconds(3)));

        Assert.Equal(Samples(first), wav.Left[Rate..(int)(1.5 * Rate)]);
        Assert.All(wav.Left[(int)(1.5 * Rate)..(2 * Rate)], s => Assert.Equal(0, s));
        Assert.Equal(Samples(second), wav.Left[(2 * Rate)..(int)(2.5 * Rate)]);
    }

    [Fact]
    public async Task Duration_equals_the_session_end_and_audio_scheduled_after_it_is_dropped()
    {
        await using var recorder = _fixture.CreateRecorder();
        recorder.AppendCaller(Tone(Seconds(1)), Seconds(0.5));
        recorder.AppendAssistant(Ramp(10 * Rate), Seconds(2)); // would play until 12 s; the session ends at 7.3 s
        var result = await recorder.CompleteAsync(Seconds(7.3));
        var wav = _fixture.ReadWav(result);

        Assert.Equal((int)(7.3 * Rate), wav.Frames);
        Assert.Equal(Seconds(7.3), result.Duration);
        Assert.Equal(Seconds(7.3), wav.Duration);
        Assert.NotEqual(0, wav.Right[^1]);
    }
}
