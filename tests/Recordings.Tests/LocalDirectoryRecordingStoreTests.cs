using System.Text;

namespace VoicePlatform.Recordings.Tests;

public sealed class LocalDirectoryRecordingStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly LocalDirectoryRecordingStore _store;

    public LocalDirectoryRecordingStoreTests() => _store = new LocalDirectoryRecordingStore(_directory.Path);

    public void Dispose() => _directory.Dispose();

    private static MemoryStream Content(string text) => new(Encoding.ASCII.GetBytes(text));

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync();
        }
    }

    [Theory]
    [InlineData("../escape.wav")]
    [InlineData("recordings/../../escape.wav")]
    [InlineData("recordings/a/../b.wav")]
    [InlineData("/etc/passwd")]
    [InlineData("recordings//double.wav")]
    [InlineData("recordings/./x.wav")]
    [InlineData("recordings/.hidden")]
    [InlineData("recordings\\windows.wav")]
    [InlineData("C:/x.wav")]
    [InlineData("recordings/trailing/")]
    [InlineData("recordings/sp ace.wav")]
    [InlineData("")]
    public async Task Unsafe_keys_are_refused_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, Content("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.GetSizeAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.DeleteAsync(key));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(_directory.Path)!, "escape.wav"));
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

        Assert.Equal("second", await ReadAllAsync((await _store.OpenReadAsync("recordings/t/s/a.bin"))!));
        Assert.Equal(["a.bin"], Directory.GetFiles(Path.Combine(_directory.Path, "recordings", "t", "s")).Select(Path.GetFileName));
        Assert.Equal(6, await _store.GetSizeAsync("recordings/t/s/a.bin"));
    }

    [Fact]
    public async Task A_failed_put_leaves_neither_the_object_nor_a_temporary_file()
    {
        await Assert.ThrowsAsync<IOException>(() => _store.PutAsync("recordings/t/s/broken.bin", new FailingStream()));

        Assert.Null(await _store.GetSizeAsync("recordings/t/s/broken.bin"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "recordings", "t", "s")));
    }

    [Fact]
    public async Task Ranged_reads_return_exactly_the_requested_bytes()
    {
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        await _store.PutAsync("recordings/t/s/r.bin", new MemoryStream(bytes));

        foreach (var (offset, length) in new (long, long?)[] { (0, null), (0, 1), (1234, 4321), (9_999, 1), (10_000, 0), (5_000, null) })
        {
            await using var stream = (await _store.OpenReadAsync("recordings/t/s/r.bin", offset, length))!;
            var expected = bytes[(int)offset..(int)(offset + (length ?? bytes.Length - offset))];
            Assert.Equal(expected.Length, stream.Length);
            var read = new MemoryStream();
            await stream.CopyToAsync(read);
            Assert.Equal(expected, read.ToArray());
        }
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.OpenReadAsync("recordings/t/s/r.bin", 10_001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.OpenReadAsync("recordings/t/s/r.bin", 9_000, 1_001));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.OpenReadAsync("recordings/t/s/r.bin", -1));
    }

    [Fact]
    public async Task Ranged_streams_are_seekable_within_the_range()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await _store.PutAsync("recordings/t/s/r.bin", new MemoryStream(bytes));
        await using var stream = (await _store.OpenReadAsync("recordings/t/s/r.bin", 100, 50))!;

        Assert.True(stream.CanSeek);
        stream.Seek(10, SeekOrigin.Begin);
        Assert.Equal(110, stream.ReadByte());
        stream.Seek(-1, SeekOrigin.End);
        Assert.Equal(149, stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_reports_whether_anything_was_deleted()
    {
        Assert.Null(await _store.OpenReadAsync("recordings/t/s/none.wav"));
        Assert.Null(await _store.GetSizeAsync("recordings/t/s/none.wav"));
        Assert.False(await _store.DeleteAsync("recordings/t/s/none.wav"));

        await _store.PutAsync("recordings/t/s/x.wav", Content("x"));
        Assert.True(await _store.DeleteAsync("recordings/t/s/x.wav"));
        Assert.Null(await _store.GetSizeAsync("recordings/t/s/x.wav"));
    }

    [Fact]
    public async Task List_by_prefix_is_ordered_and_skips_other_prefixes_and_temporaries()
    {
        foreach (var key in new[] { "recordings/t/s1/part-00002.pcm", "recordings/t/s1/part-00001.pcm", "recordings/t/s1/manifest.json",
                     "recordings/t/s10/part-00001.pcm", "recordings/u/s1/part-00001.pcm" })
            await _store.PutAsync(key, Content(key));
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "recordings", "t", "s1", ".part-00003.pcm.abc.tmp"), "partial");

        var parts = await _store.ListAsync("recordings/t/s1/part-").ToListAsync();
        Assert.Equal(["recordings/t/s1/part-00001.pcm", "recordings/t/s1/part-00002.pcm"], parts.Select(p => p.Key));
        Assert.Equal("recordings/t/s1/part-00001.pcm".Length, parts[0].Size);

        var session = await _store.ListAsync("recordings/t/s1/").ToListAsync();
        Assert.Equal(3, session.Count);
        Assert.Equal(4, (await _store.ListAsync("recordings/t/").ToListAsync()).Count);
        Assert.Empty(await _store.ListAsync("recordings/none/").ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.ListAsync("../").ToListAsync());
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ > 0)
                throw new IOException("source failed");
            buffer[offset] = 1;
            return 1;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
