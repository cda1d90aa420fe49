using static VoicePlatform.Recordings.Tests.Signal;

namespace VoicePlatform.Recordings.Tests;

/// <summary>A session recorded in several segments (resumed elsewhere) is served as one WAV on its timeline.</summary>
public sealed class SegmentedRecordingReaderTests : IDisposable
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryRecordingStore _store;

    public SegmentedRecordingReaderTests() => _store = new LocalDirectoryRecordingStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    /// <summary>A segment of <paramref name="duration"/> whose caller channel is <paramref name="ramp"/> from 0.5 s on.</summary>
    private async Task<RecordingSegment> RecordSegmentAsync(string name, DateTimeOffset startedAt, TimeSpan duration, byte[] ramp)
    {
        var prefix = RecordingLayout.SessionPrefix("tenant-a", "sess_1") + name + "/";
        await using var recorder = new StereoCallRecorder(_store, prefix, new RecordingOptions { TimelineStart = startedAt });
        recorder.AppendCaller(ramp, Seconds(0.5));
        var result = await recorder.CompleteAsync(duration);
        Assert.Equal(startedAt, result.StartedAt);
        Assert.Equal(44 + TimelineClock.ToFrames(duration, Rate) * 4, result.SizeBytes);
        return new RecordingSegment(result.Key, startedAt);
    }

    [Fact]
    public async Task Segments_are_laid_out_at_their_start_times_with_silence_between_them()
    {
        var first = Ramp(Rate / 2, first: 1);
        var second = Ramp(Rate / 2, first: 20_000);
        // The client was away from 2 s to 5 s of the session.
        var segments = new[]
        {
            await RecordSegmentAsync("resumed-2", Origin.AddSeconds(5), Seconds(2), second),
            await RecordSegmentAsync("first", Origin, Seconds(2), first),
        };

        await using var read = await SegmentedRecordingReader.OpenAsync(_store, segments);
        var wav = WavFile.Parse(await RangeReads.BytesAsync(read));

        Assert.False(read.IsPartial);
        Assert.Equal((2, Rate, 16), (wav.Channels, wav.SampleRate, wav.BitsPerSample));
        Assert.Equal(7 * Rate, wav.Left.Length); // 2 s + 3 s away + 2 s
        Assert.Equal(wav.DataSize + 44, read.TotalLength);
        Assert.Equal(Samples(first), wav.Left[(Rate / 2)..Rate]);
        Assert.Equal(Samples(second), wav.Left[(int)(5.5 * Rate)..(6 * Rate)]);
        Assert.All(wav.Left[Rate..(int)(5.5 * Rate)], s => Assert.Equal(0, s));
        Assert.All(wav.Right, s => Assert.Equal(0, s));
    }

    [Fact]
    public async Task A_segment_starting_before_the_previous_one_ended_follows_it_directly()
    {
        // Gateways' clocks disagree by a second: the resumed segment claims to start before the first one ended.
        var first = Ramp(Rate / 2, first: 1);
        var second = Ramp(Rate / 2, first: 20_000);
        var segments = new[]
        {
            await RecordSegmentAsync("first", Origin, Seconds(2), first),
            await RecordSegmentAsync("resumed", Origin.AddSeconds(1), Seconds(1), second),
        };

        await using var read = await SegmentedRecordingReader.OpenAsync(_store, segments);
        var wav = WavFile.Parse(await RangeReads.BytesAsync(read));

        Assert.Equal(3 * Rate, wav.Left.Length);
        Assert.Equal(Samples(first), wav.Left[(Rate / 2)..Rate]);
        Assert.Equal(Samples(second), wav.Left[(int)(2.5 * Rate)..(3 * Rate)]);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0L, 43L)]          // the header only
    [InlineData(40L, 100L)]        // across the header's end
    [InlineData(95_990L, 96_100L)] // across the end of the first segment's data into the silence
    [InlineData(100_000L, 300_000L)]
    [InlineData(330_000L, null)]   // inside the second segment, to the end
    [InlineData(null, 1_000L)]     // the last 1000 bytes
    public async Task A_byte_range_is_exactly_those_bytes_of_the_whole(long? from, long? to)
    {
        var segments = new[]
        {
            await RecordSegmentAsync("first", Origin, Seconds(1), Ramp(Rate / 4)),
            await RecordSegmentAsync("resumed", Origin.AddSeconds(2.5), Seconds(1.5), Ramp(Rate / 4, first: 9_000)),
        };
        await using var whole = await SegmentedRecordingReader.OpenAsync(_store, segments);
        var all = await RangeReads.BytesAsync(whole);
        Assert.Equal(44 + 4 * 4 * Rate, all.Length); // 4 s of stereo PCM16

        await using var read = await SegmentedRecordingReader.OpenAsync(_store, segments, from, to);
        var bytes = await RangeReads.BytesAsync(read);

        Assert.Equal(from is not null || to is not null, read.IsPartial);
        Assert.Equal(all.Length, read.TotalLength);
        Assert.Equal(all[(int)read.Start..(int)(read.End + 1)], bytes);
        Assert.Equal(to is { } suffix && from is null ? all.Length - suffix : from ?? 0, read.Start);
    }

    [Fact]
    public async Task A_range_past_the_end_is_unsatisfiable_and_a_missing_segment_is_not_found()
    {
        var first = await RecordSegmentAsync("first", Origin, Seconds(1), Ramp(100));
        var second = await RecordSegmentAsync("resumed", Origin.AddSeconds(2), Seconds(1), Ramp(100));
        await using (var read = await SegmentedRecordingReader.OpenAsync(_store, [first, second], 10_000_000, null))
        {
            Assert.Equal(RecordingRangeStatus.Unsatisfiable, read.Status);
            Assert.Equal(44 + 3 * 4 * Rate, read.TotalLength);
        }

        await _store.DeleteAsync(second.Key);
        await using var missing = await SegmentedRecordingReader.OpenAsync(_store, [first, second]);
        Assert.Equal(RecordingRangeStatus.NotFound, missing.Status);
    }

    [Fact]
    public async Task Segments_of_different_formats_are_refused()
    {
        var first = await RecordSegmentAsync("first", Origin, Seconds(1), Ramp(100));
        var prefix = RecordingLayout.SessionPrefix("tenant-a", "sess_1") + "other/";
        await using var recorder = new StereoCallRecorder(_store, prefix, new RecordingOptions { SampleRate = 16_000 });
        var other = await recorder.CompleteAsync(Seconds(1));

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            SegmentedRecordingReader.OpenAsync(_store, [first, new RecordingSegment(other.Key, Origin.AddSeconds(3))]));
    }

    [Fact]
    public async Task One_segment_is_served_as_it_is_stored()
    {
        var only = await RecordSegmentAsync("first", Origin, Seconds(1), Ramp(100));
        await using var read = await SegmentedRecordingReader.OpenAsync(_store, [only]);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_directory.Path, only.Key)), await RangeReads.BytesAsync(read));
    }
}
