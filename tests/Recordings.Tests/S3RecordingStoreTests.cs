using System.Security.Cryptography;
using Amazon.S3;
using VoicePlatform.TestSupport.ObjectStorage;
using static VoicePlatform.Recordings.Tests.Signal;

namespace VoicePlatform.Recordings.Tests;

/// <summary>
/// The store contract against a real S3-compatible server (s3rver, one process per test class), plus what is
/// S3-specific: multipart uploads, key prefixes, buckets, and the recorder and assembler running on S3.
/// Each test gets its own bucket.
/// </summary>
public sealed class S3RecordingStoreTests(S3Server server) : RecordingStoreContractTests, IClassFixture<S3Server>
{
    private const int MiB = 1024 * 1024;
    private readonly string _bucket = "vp-" + Guid.NewGuid().ToString("N");
    private readonly List<S3RecordingStore> _stores = [];
    private readonly TempDirectory _localDirectory = new();
    private S3RecordingStore? _store;

    protected override IRecordingStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>s3rver lists in directory-walk order; AWS S3 (and MinIO) list in UTF-8 byte order.</summary>
    protected override bool ServerOrdersAcrossSegmentsBytewise => false;

    public override async Task InitializeAsync()
    {
        _store = CreateStore();
        await _store.EnsureBucketAsync();
    }

    public override Task DisposeAsync()
    {
        foreach (var store in _stores)
            store.Dispose();
        _localDirectory.Dispose();
        return Task.CompletedTask;
    }

    private S3RecordingStore CreateStore(string? keyPrefix = null, string? bucket = null, int listPageSize = 1000)
    {
        var store = new S3RecordingStore(new S3RecordingStoreOptions
        {
            ServiceUrl = server.ServiceUrl,
            AccessKey = server.AccessKey,
            SecretKey = server.SecretKey,
            Bucket = bucket ?? _bucket,
            KeyPrefix = keyPrefix,
            ListPageSize = listPageSize,
        });
        _stores.Add(store);
        return store;
    }

    private static async Task<byte[]> Sha256Async(Stream stream)
    {
        await using (stream)
            return await SHA256.HashDataAsync(stream);
    }

    [Fact]
    public async Task A_large_object_from_a_non_seekable_stream_goes_up_in_parts_and_reads_back_identically()
    {
        const long size = 40L * MiB;
        var store = (S3RecordingStore)Store;

        await store.PutAsync("recordings/t/s/large.wav", new NonSeekableSource(size));

        Assert.Equal(3, store.PartsUploaded); // 16 + 16 + 8 MiB
        Assert.Equal(size, await store.GetSizeAsync("recordings/t/s/large.wav"));
        Assert.Equal(await Sha256Async(new NonSeekableSource(size)), await Sha256Async((await store.OpenReadAsync("recordings/t/s/large.wav"))!));

        // A range across the first part boundary.
        var across = await ReadAllAsync((await store.OpenReadAsync("recordings/t/s/large.wav", 16L * MiB - 100, 200))!);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => NonSeekableSource.ByteAt(16L * MiB - 100 + i)), across);
    }

    [Fact]
    public async Task An_object_of_exactly_one_part_size_is_not_followed_by_an_empty_part()
    {
        var store = (S3RecordingStore)Store;

        await store.PutAsync("recordings/t/s/exact.bin", new NonSeekableSource(S3RecordingStore.PartSize));

        Assert.Equal(1, store.PartsUploaded);
        Assert.Equal(S3RecordingStore.PartSize, await store.GetSizeAsync("recordings/t/s/exact.bin"));
        Assert.Equal(await Sha256Async(new NonSeekableSource(S3RecordingStore.PartSize)), await Sha256Async((await store.OpenReadAsync("recordings/t/s/exact.bin"))!));
    }

    [Fact]
    public async Task Objects_below_the_part_size_go_up_in_one_put()
    {
        var store = (S3RecordingStore)Store;

        await store.PutAsync("recordings/t/s/small.bin", new NonSeekableSource(S3RecordingStore.PartSize - 1));

        Assert.Equal(0, store.PartsUploaded);
        Assert.Equal(S3RecordingStore.PartSize - 1, await store.GetSizeAsync("recordings/t/s/small.bin"));
    }

    [Fact]
    public async Task A_multipart_put_that_fails_or_is_cancelled_midway_leaves_no_object()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("recordings/t/s/failed.wav", new NonSeekableSource(40L * MiB, failAt: 20L * MiB)));

        using var cancellation = new CancellationTokenSource();
        var source = new NonSeekableSource(40L * MiB) { OnRead = produced => { if (produced >= 20L * MiB) cancellation.Cancel(); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.PutAsync("recordings/t/s/cancelled.wav", source, cancellation.Token));

        Assert.True(((S3RecordingStore)Store).PartsUploaded >= 2, "the failures came after a part was uploaded");
        Assert.Null(await Store.GetSizeAsync("recordings/t/s/failed.wav"));
        Assert.Null(await Store.GetSizeAsync("recordings/t/s/cancelled.wav"));
        Assert.Empty(await Store.ListAsync("").ToListAsync());
    }

    [Fact]
    public async Task Stores_with_different_key_prefixes_on_one_bucket_do_not_see_each_other()
    {
        var prod = CreateStore("prod/");
        var staging = CreateStore("staging/");
        await prod.PutAsync("recordings/t/s/a.wav", Content("prod"));
        await staging.PutAsync("recordings/t/s/a.wav", Content("staging!"));
        await staging.PutAsync("recordings/t/s/b.wav", Content("b"));

        Assert.Equal("prod", await ReadTextAsync((await prod.OpenReadAsync("recordings/t/s/a.wav"))!));
        Assert.Equal("staging!", await ReadTextAsync((await staging.OpenReadAsync("recordings/t/s/a.wav"))!));
        Assert.Null(await prod.GetSizeAsync("recordings/t/s/b.wav"));
        Assert.Equal(["recordings/t/s/a.wav"], (await prod.ListAsync("").ToListAsync()).Select(o => o.Key));
        Assert.Equal(["recordings/t/s/a.wav", "recordings/t/s/b.wav"], (await staging.ListAsync("recordings/").ToListAsync()).Select(o => o.Key));
        Assert.False(await prod.DeleteAsync("recordings/t/s/b.wav"));
        Assert.True(await prod.DeleteAsync("recordings/t/s/a.wav"));
        Assert.Equal(8, await staging.GetSizeAsync("recordings/t/s/a.wav"));

        // The bucket itself holds the prefixed keys.
        Assert.Equal(["staging/recordings/t/s/a.wav", "staging/recordings/t/s/b.wav"], (await Store.ListAsync("").ToListAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task Listing_follows_continuation_tokens_across_small_pages()
    {
        var store = CreateStore(listPageSize: 7);
        var keys = Enumerable.Range(1, 30).Select(i => $"recordings/t/p/k-{i}").ToArray();
        foreach (var key in keys)
            await store.PutAsync(key, Content(key));

        Assert.Equal(keys.Order(StringComparer.Ordinal), (await store.ListAsync("recordings/t/p/").ToListAsync()).Select(o => o.Key));
    }

    [Fact]
    public async Task Buckets_are_created_only_by_EnsureBucketAsync()
    {
        var missing = CreateStore(bucket: "vp-missing-" + Guid.NewGuid().ToString("N")[..8]);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => missing.PutAsync("recordings/t/s/a.wav", Content("x")));
        Assert.Equal("NoSuchBucket", error.ErrorCode);

        await missing.EnsureBucketAsync();
        await missing.EnsureBucketAsync(); // idempotent
        await missing.PutAsync("recordings/t/s/a.wav", Content("x"));
        Assert.Equal(1, await missing.GetSizeAsync("recordings/t/s/a.wav"));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new S3RecordingStore(new S3RecordingStoreOptions { Bucket = " " }));
        Assert.Throws<ArgumentException>(() => new S3RecordingStore(new S3RecordingStoreOptions { Bucket = "b", AccessKey = "a" }));
        Assert.Throws<ArgumentException>(() => new S3RecordingStore(new S3RecordingStoreOptions { Bucket = "b", KeyPrefix = "../" }));
        Assert.Throws<ArgumentException>(() => new S3RecordingStore(new S3RecordingStoreOptions { Bucket = "b", ServiceUrl = "not a url" }));
    }

    /// <summary>The same call recorded on S3 and on a local directory: same session id, same audio, same times.</summary>
    private async Task<(string Prefix, LocalDirectoryRecordingStore Local)> RecordOnBothAsync(bool complete)
    {
        var local = new LocalDirectoryRecordingStore(_localDirectory.Path);
        var session = "sess_" + Guid.NewGuid().ToString("N");
        var options = new RecordingOptions { PartDuration = Seconds(1), FinalizationDelay = Seconds(0.5) };
        string? prefix = null;
        foreach (var store in new IRecordingStore[] { Store, local })
        {
            var recorder = StereoCallRecorder.ForSession(store, "tenant-a", session, options);
            prefix = recorder.KeyPrefix;
            var tick = TimeSpan.FromMilliseconds(20);
            var caller = Tone(tick);
            var assistant = Tone(TimeSpan.FromMilliseconds(500), 300);
            for (var at = TimeSpan.Zero; at < Seconds(3.3); at += tick)
            {
                recorder.AppendCaller(caller, at);
                if (at == Seconds(1))
                    recorder.AppendAssistant(assistant, at, "item_1");
                await recorder.FlushAsync(at + tick);
            }
            if (complete)
            {
                await recorder.CompleteAsync(Seconds(3.5));
                await recorder.DisposeAsync();
            }
            // Otherwise the recorder is abandoned as in a crash: no CompleteAsync, no DisposeAsync.
        }
        return (prefix!, local);
    }

    private static async Task<byte[]> ReadRangeAsync(IRecordingStore store, string key, long? from = null, long? to = null)
    {
        await using var read = await RecordingRangeReader.OpenAsync(store, key, from, to);
        return await RangeReads.BytesAsync(read);
    }

    [Fact]
    public async Task A_recording_made_on_S3_reads_back_like_the_same_recording_made_locally()
    {
        var (prefix, local) = await RecordOnBothAsync(complete: true);
        var wavKey = RecordingLayout.WavKey(prefix);

        var fromS3 = await ReadRangeAsync(Store, wavKey);
        var fromLocal = await ReadRangeAsync(local, wavKey);
        Assert.Equal(44 + (long)(3.5 * Rate) * 4, fromS3.Length);
        Assert.Equal(fromLocal, fromS3);
        Assert.Equal(fromLocal[1000..5001], await ReadRangeAsync(Store, wavKey, 1000, 5000));
        Assert.Equal(fromLocal[^100..], await ReadRangeAsync(Store, wavKey, null, 100));

        var wav = WavFile.Parse(fromS3);
        Assert.InRange(WavFile.Rms(wav.Left, 0, 3.3), 6_500, 7_500);
        // Parts are deleted after completion, on S3 as locally.
        Assert.Empty(await Store.ListAsync(prefix + "part-").ToListAsync());
    }

    [Fact]
    public async Task A_crashed_recording_is_assembled_from_its_S3_parts()
    {
        var (prefix, local) = await RecordOnBothAsync(complete: false);
        // Final up to 3.3 - 0.5 = 2.8 s: two whole one-second parts were stored before the "crash".
        Assert.Equal(2, (await Store.ListAsync(prefix + "part-").ToListAsync()).Count);

        var result = await RecordingAssembler.AssembleAsync(Store, prefix);
        var localResult = await RecordingAssembler.AssembleAsync(local, prefix);

        Assert.NotNull(result);
        Assert.Equal(localResult, result);
        var bytes = await ReadRangeAsync(Store, result.Key);
        Assert.Equal(result.SizeBytes, bytes.Length);
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(Seconds(2), WavFile.Parse(bytes).Duration);
        Assert.Equal(await ReadRangeAsync(local, localResult!.Key), bytes);
    }
}
