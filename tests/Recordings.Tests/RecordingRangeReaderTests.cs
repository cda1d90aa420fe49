namespace VoicePlatform.Recordings.Tests;

public sealed class RecordingRangeReaderTests : IDisposable
{
    private const string Key = "recordings/t/s/recording.wav";
    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryRecordingStore _store;
    private readonly byte[] _bytes = Enumerable.Range(0, 1_000).Select(i => (byte)(i % 251)).ToArray();

    public RecordingRangeReaderTests()
    {
        _store = new LocalDirectoryRecordingStore(_directory.Path);
        _store.PutAsync(Key, new MemoryStream(_bytes)).GetAwaiter().GetResult();
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(null, null, 0, 999, false)]   // no Range header
    [InlineData(100L, 199L, 100, 199, true)]  // bytes=100-199
    [InlineData(100L, null, 100, 999, true)]  // bytes=100-
    [InlineData(null, 500L, 500, 999, true)]  // bytes=-500
    [InlineData(null, 5_000L, 0, 999, true)]  // suffix longer than the object: all of it
    [InlineData(990L, 5_000L, 990, 999, true)] // end past the object: clamped
    [InlineData(999L, 999L, 999, 999, true)]
    public async Task Returns_exactly_the_resolved_range(long? from, long? to, long start, long end, bool partial)
    {
        await using var read = await RecordingRangeReader.OpenAsync(_store, Key, from, to);

        Assert.Equal(RecordingRangeStatus.Ok, read.Status);
        Assert.Equal(1_000, read.TotalLength);
        Assert.Equal((start, end, partial), (read.Start, read.End, read.IsPartial));
        var copy = new MemoryStream();
        await read.Content!.CopyToAsync(copy);
        Assert.Equal(_bytes[(int)start..(int)(end + 1)], copy.ToArray());
    }

    [Theory]
    [InlineData(1_000L, null)]
    [InlineData(5_000L, 6_000L)]
    [InlineData(null, 0L)]
    public async Task Ranges_starting_past_the_end_are_unsatisfiable(long? from, long? to)
    {
        await using var read = await RecordingRangeReader.OpenAsync(_store, Key, from, to);

        Assert.Equal(RecordingRangeStatus.Unsatisfiable, read.Status);
        Assert.Equal(1_000, read.TotalLength);
        Assert.Null(read.Content);
    }

    [Fact]
    public async Task Missing_recording_is_not_found()
    {
        await using var read = await RecordingRangeReader.OpenAsync(_store, "recordings/t/other/recording.wav", 0, 10);
        Assert.Equal(RecordingRangeStatus.NotFound, read.Status);
    }
}
