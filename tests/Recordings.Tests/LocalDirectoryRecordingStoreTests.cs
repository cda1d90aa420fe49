namespace VoicePlatform.Recordings.Tests;

/// <summary>The store contract on a local directory, plus what only a directory can show (files, temporaries).</summary>
public sealed class LocalDirectoryRecordingStoreTests : RecordingStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryRecordingStore _store;

    public LocalDirectoryRecordingStoreTests() => _store = new LocalDirectoryRecordingStore(_directory.Path);

    protected override IRecordingStore Store => _store;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [MemberData(nameof(UnsafeKeys))]
    public async Task Unsafe_keys_never_touch_files_outside_the_root(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, Content("x")));

        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(_directory.Path)!, "escape.wav"));
        Assert.Empty(Directory.GetFileSystemEntries(_directory.Path));
    }

    [Fact]
    public async Task Tenant_or_session_ids_that_would_escape_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RecordingLayout.SessionPrefix("..", "s"));
        Assert.Throws<ArgumentException>(() => RecordingLayout.SessionPrefix("t", "a/b"));
        Assert.Throws<ArgumentException>(() => StereoCallRecorder.ForSession(_store, "t", "../s"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Put_replaces_atomically_and_leaves_no_temporary_files()
    {
        await _store.PutAsync("recordings/t/s/a.bin", Content("first"));
        await _store.PutAsync("recordings/t/s/a.bin", Content("second"));

        Assert.Equal("second", await ReadTextAsync((await _store.OpenReadAsync("recordings/t/s/a.bin"))!));
        Assert.Equal(["a.bin"], Directory.GetFiles(Path.Combine(_directory.Path, "recordings", "t", "s")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_put_leaves_no_temporary_file()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("recordings/t/s/broken.bin", new NonSeekableSource(length: 10, failAt: 1)));

        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "recordings", "t", "s")));
    }

    [Fact]
    public async Task Listings_skip_temporary_files()
    {
        await _store.PutAsync("recordings/t/s1/part-00001.pcm", Content("x"));
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "recordings", "t", "s1", ".part-00002.pcm.abc.tmp"), "partial");

        Assert.Equal(["recordings/t/s1/part-00001.pcm"], (await _store.ListAsync("recordings/t/s1/").ToListAsync()).Select(o => o.Key));
    }
}
