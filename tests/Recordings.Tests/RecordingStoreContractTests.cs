using System.Text;

namespace VoicePlatform.Recordings.Tests;

/// <summary>
/// What every <see cref="IRecordingStore"/> must do, run against each implementation by a subclass that supplies a
/// fresh, empty store per test.
/// </summary>
public abstract class RecordingStoreContractTests : IAsyncLifetime
{
    protected abstract IRecordingStore Store { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> UnsafeKeys =>
    [
        "../escape.wav", "recordings/../../escape.wav", "recordings/a/../b.wav", "/etc/passwd", "recordings//double.wav",
        "recordings/./x.wav", "recordings/.hidden", "recordings\\windows.wav", "C:/x.wav", "recordings/trailing/",
        "recordings/sp ace.wav", "",
    ];

    protected static MemoryStream Content(string text) => new(Encoding.ASCII.GetBytes(text));

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    protected static async Task<string> ReadTextAsync(Stream stream) => Encoding.ASCII.GetString(await ReadAllAsync(stream));

    [Theory]
    [MemberData(nameof(UnsafeKeys))]
    public async Task Unsafe_keys_are_refused_by_every_operation(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, Content("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key, 0, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetSizeAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
        Assert.Empty(await Store.ListAsync("").ToListAsync());
    }

    [Theory]
    [InlineData("../")]
    [InlineData("recordings//")]
    [InlineData("recordings/.h")]
    [InlineData("/recordings/")]
    public async Task Unsafe_listing_prefixes_are_refused(string prefix)
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.ListAsync(prefix).ToListAsync());
    }

    [Fact]
    public async Task Put_then_read_round_trips_bytes_and_size()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 + 7)).ToArray();
        await Store.PutAsync("recordings/t/s/a.bin", new MemoryStream(bytes));

        Assert.Equal(bytes.Length, await Store.GetSizeAsync("recordings/t/s/a.bin"));
        var stream = (await Store.OpenReadAsync("recordings/t/s/a.bin"))!;
        Assert.Equal(bytes.Length, stream.Length);
        Assert.Equal(bytes, await ReadAllAsync(stream));
    }

    [Fact]
    public async Task An_empty_object_is_stored_and_read_back_empty()
    {
        await Store.PutAsync("recordings/t/s/empty.bin", new MemoryStream());

        Assert.Equal(0, await Store.GetSizeAsync("recordings/t/s/empty.bin"));
        Assert.Empty(await ReadAllAsync((await Store.OpenReadAsync("recordings/t/s/empty.bin"))!));
        Assert.Empty(await ReadAllAsync((await Store.OpenReadAsync("recordings/t/s/empty.bin", 0, 0))!));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync("recordings/t/s/empty.bin", 0, 1));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync("recordings/t/s/a.bin", Content("first, longer"));
        await Store.PutAsync("recordings/t/s/a.bin", Content("second"));

        Assert.Equal("second", await ReadTextAsync((await Store.OpenReadAsync("recordings/t/s/a.bin"))!));
        Assert.Equal(6, await Store.GetSizeAsync("recordings/t/s/a.bin"));
        Assert.Equal(["recordings/t/s/a.bin"], (await Store.ListAsync("recordings/").ToListAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task A_failed_put_leaves_no_object()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("recordings/t/s/broken.bin", new NonSeekableSource(length: 100_000, failAt: 70_000)));

        Assert.Null(await Store.GetSizeAsync("recordings/t/s/broken.bin"));
        Assert.Empty(await Store.ListAsync("").ToListAsync());
    }

    [Theory]
    [InlineData(0L, null)]      // all of it
    [InlineData(0L, 1L)]        // the first byte
    [InlineData(1234L, 4321L)]  // the middle
    [InlineData(5_000L, null)]  // to the end
    [InlineData(9_999L, 1L)]    // the last byte
    [InlineData(9_999L, null)]
    [InlineData(10_000L, 0L)]   // empty, at the end
    [InlineData(10_000L, null)] // empty, at the end
    [InlineData(3_000L, 0L)]    // empty, inside
    public async Task Ranged_reads_return_exactly_the_requested_bytes(long offset, long? length)
    {
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        await Store.PutAsync("recordings/t/s/r.bin", new MemoryStream(bytes));

        var stream = (await Store.OpenReadAsync("recordings/t/s/r.bin", offset, length))!;
        var expected = bytes[(int)offset..(int)(offset + (length ?? bytes.Length - offset))];
        Assert.Equal(expected.Length, stream.Length);
        Assert.Equal(expected, await ReadAllAsync(stream));
    }

    [Theory]
    [InlineData(10_001L, null)]
    [InlineData(9_000L, 1_001L)]
    [InlineData(10_000L, 1L)]
    [InlineData(-1L, null)]
    [InlineData(0L, -1L)]
    public async Task Ranges_outside_the_object_throw(long offset, long? length)
    {
        await Store.PutAsync("recordings/t/s/r.bin", new MemoryStream(new byte[10_000]));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.OpenReadAsync("recordings/t/s/r.bin", offset, length));
    }

    [Fact]
    public async Task Ranged_streams_are_seekable_within_the_range()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        await Store.PutAsync("recordings/t/s/r.bin", new MemoryStream(bytes));
        await using var stream = (await Store.OpenReadAsync("recordings/t/s/r.bin", 100, 50))!;

        Assert.True(stream.CanSeek);
        Assert.Equal(100, stream.ReadByte());
        stream.Seek(10, SeekOrigin.Begin);
        Assert.Equal(110, stream.ReadByte());
        Assert.Equal(111, stream.ReadByte());
        stream.Seek(-1, SeekOrigin.End);
        Assert.Equal(149, stream.ReadByte());
        Assert.Equal(-1, stream.ReadByte());
        stream.Position = 0; // back to the start after reaching the end
        var rest = new byte[50];
        await stream.ReadExactlyAsync(rest);
        Assert.Equal(bytes[100..150], rest);
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_reports_whether_anything_was_deleted()
    {
        Assert.Null(await Store.OpenReadAsync("recordings/t/s/none.wav"));
        Assert.Null(await Store.OpenReadAsync("recordings/t/s/none.wav", 0, 1));
        Assert.Null(await Store.GetSizeAsync("recordings/t/s/none.wav"));
        Assert.False(await Store.DeleteAsync("recordings/t/s/none.wav"));

        await Store.PutAsync("recordings/t/s/x.wav", Content("x"));
        Assert.True(await Store.DeleteAsync("recordings/t/s/x.wav"));
        Assert.False(await Store.DeleteAsync("recordings/t/s/x.wav"));
        Assert.Null(await Store.GetSizeAsync("recordings/t/s/x.wav"));
        Assert.Null(await Store.OpenReadAsync("recordings/t/s/x.wav"));
    }

    /// <summary>
    /// False for a server that orders keys per path segment instead of bytewise (s3rver walks its directories, so it
    /// lists <c>a/x</c> before <c>a-b</c>); the store passes the server's order through, so that case then only checks
    /// which keys come back.
    /// </summary>
    protected virtual bool ServerOrdersAcrossSegmentsBytewise => true;

    [Fact]
    public async Task List_by_prefix_is_a_plain_string_prefix_in_ordinal_order()
    {
        // Ordinal: 'B' < '_' < 'a', unlike culture order; "s1/" < "s10" since '/' < '0'.
        string[] keys =
        [
            "recordings/t/s1/part-00002.pcm", "recordings/t/s1/part-00001.pcm", "recordings/t/s1/manifest.json",
            "recordings/t/s1/B.wav", "recordings/t/s1/_x.wav", "recordings/t/s10/part-00001.pcm",
            "recordings/u/s1/part-00001.pcm",
        ];
        foreach (var key in keys)
            await Store.PutAsync(key, Content(key));

        var parts = await Store.ListAsync("recordings/t/s1/part-").ToListAsync();
        Assert.Equal(["recordings/t/s1/part-00001.pcm", "recordings/t/s1/part-00002.pcm"], parts.Select(p => p.Key));
        Assert.Equal("recordings/t/s1/part-00001.pcm".Length, parts[0].Size);

        Assert.Equal(
            keys.Where(k => k.StartsWith("recordings/t/s1", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            (await Store.ListAsync("recordings/t/s1").ToListAsync()).Select(o => o.Key));
        Assert.Equal(5, (await Store.ListAsync("recordings/t/s1/").ToListAsync()).Count);
        Assert.Equal(keys.Order(StringComparer.Ordinal), (await Store.ListAsync("").ToListAsync()).Select(o => o.Key));
        Assert.Empty(await Store.ListAsync("recordings/none/").ToListAsync());
    }

    [Fact]
    public async Task List_orders_bytewise_across_segment_boundaries()
    {
        // '-' (0x2D) < '/' (0x2F): "s1-b/…" sorts before "s1/…", and "k-x" before "k".
        string[] keys = ["recordings/t/s1/k", "recordings/t/s1/k-x", "recordings/t/s1-b/k", "recordings/t/s1/a"];
        foreach (var key in keys)
            await Store.PutAsync(key, Content(key));

        var listed = (await Store.ListAsync("recordings/t/s1").ToListAsync()).Select(o => o.Key).ToArray();

        var expected = keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["recordings/t/s1-b/k", "recordings/t/s1/a", "recordings/t/s1/k", "recordings/t/s1/k-x"], expected);
        Assert.Equal(expected, ServerOrdersAcrossSegmentsBytewise ? listed : listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_returns_every_object_past_one_page_of_a_thousand()
    {
        // Unpadded numbers, so ordinal order (k-1, k-10, k-100, k-1000, k-1001, k-101, …) differs from numeric order.
        var keys = Enumerable.Range(1, 1_050).Select(i => $"recordings/t/many/k-{i}").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (key, cancellationToken) => await Store.PutAsync(key, Content("x"), cancellationToken));
        await Store.PutAsync("recordings/t/other", Content("x"));

        var listed = await Store.ListAsync("recordings/t/many/").ToListAsync();

        Assert.Equal(keys.Order(StringComparer.Ordinal), listed.Select(o => o.Key));
        Assert.All(listed, o => Assert.Equal(1, o.Size));
    }

    [Fact]
    public async Task A_cancelled_put_leaves_no_object()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new NonSeekableSource(length: 1_000_000) { OnRead = produced => { if (produced >= 128 * 1024) cancellation.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("recordings/t/s/c.bin", source, cancellation.Token));

        Assert.Null(await Store.GetSizeAsync("recordings/t/s/c.bin"));
    }
}
