using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace VoicePlatform.Recordings;

/// <summary>
/// <see cref="IRecordingStore"/> on an S3 bucket (AWS or any S3-compatible server), key <c>a/b.wav</c> being the
/// object <c>{KeyPrefix}a/b.wav</c>. Keys are validated exactly like <see cref="LocalDirectoryRecordingStore"/>'s, so
/// both stores refuse the same keys.
/// <para>
/// Atomicity: S3 makes an object visible only when its PUT (or the CompleteMultipartUpload of a multipart upload)
/// succeeds, and a replaced object is swapped whole, so readers see the old or the new object, never a partial one.
/// A failed or cancelled upload leaves nothing visible (its multipart upload is aborted).
/// </para>
/// <para>
/// Memory: objects up to <see cref="PartSize"/> are buffered in one pooled buffer and stored with a single PUT;
/// larger ones (a 1-hour WAV is ~345 MB) go up as a multipart upload one part at a time through that same buffer, so
/// a put never holds more than <see cref="PartSize"/> bytes however long the source stream is.
/// </para>
/// </summary>
public sealed class S3RecordingStore : IRecordingStore, IDisposable
{
    /// <summary>Single-PUT limit and multipart part size (S3 parts must be at least 5 MiB except the last).</summary>
    internal const int PartSize = 16 * 1024 * 1024;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _keyPrefix;
    private readonly string _region;
    private readonly int _listPageSize;
    private long _partsUploaded;

    public S3RecordingStore(S3RecordingStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _bucket = options.Bucket;
        _keyPrefix = options.KeyPrefix ?? "";
        _region = options.Region;
        _listPageSize = options.ListPageSize;

        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // SDK 4 adds CRC checksums to every upload by default, sent as an aws-chunked trailer that many
            // S3-compatible servers (s3rver included) reject; only send them where an operation requires one.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        _client = options.AccessKey is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Bucket => _bucket;

    /// <summary>UploadPart requests sent so far (diagnostics; tests check that large objects go up in parts).</summary>
    internal long PartsUploaded => Interlocked.Read(ref _partsUploaded);

    /// <summary>Creates the bucket if it does not exist. For development and test setups: production buckets are
    /// provisioned with their policies, and no store operation creates one implicitly.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Missing: create it below. Any other answer (403: someone else's bucket) is the caller's problem.
        }
        try
        {
            var request = new PutBucketRequest { BucketName = _bucket };
            // AWS wants the location constraint everywhere but in us-east-1; S3-compatible servers ignore it.
            if (_region != "us-east-1")
                request.BucketRegionName = _region;
            await _client.PutBucketAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
        {
            // Created concurrently by another store instance: what we wanted.
        }
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = ObjectKeyOf(key);
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            if (filled < PartSize)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = objectKey,
                    InputStream = body,
                    AutoCloseStream = false,
                    // The body is already in memory and seekable: send it plain. aws-chunked signing (the SDK default
                    // for streams over http) is not decoded by some S3-compatible servers, s3rver included, which then
                    // store the chunk signatures as part of the object.
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            await PutMultipartAsync(objectKey, content, buffer, filled, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Uploads <paramref name="firstPart"/> bytes already in <paramref name="buffer"/>, then the rest of
    /// <paramref name="content"/> a part at a time; aborts the upload if anything fails.</summary>
    private async Task PutMultipartAsync(string objectKey, Stream content, byte[] buffer, int firstPart, CancellationToken cancellationToken)
    {
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            var filled = firstPart;
            // A source whose length is an exact multiple of the part size ends with an empty read: no empty part then.
            while (filled > 0)
            {
                var number = parts.Count + 1;
                using (var body = new MemoryStream(buffer, 0, filled, writable: false))
                {
                    var response = await _client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = objectKey,
                        UploadId = upload.UploadId,
                        PartNumber = number,
                        PartSize = filled,
                        InputStream = body,
                        UseChunkEncoding = false, // see the single PUT

                    }, cancellationToken).ConfigureAwait(false);
                    parts.Add(new PartETag(number, response.ETag));
                    Interlocked.Increment(ref _partsUploaded);
                }
                filled = filled < PartSize ? 0 : await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TryAbortAsync(objectKey, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task TryAbortAsync(string objectKey, string uploadId)
    {
        // Not cancellable (the caller's token may be what failed us) but bounded. If the abort fails too, the parts
        // stay invisible and billable until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them;
        // the original failure is what the caller needs to see.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                UploadId = uploadId,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or OperationCanceledException or HttpRequestException)
        {
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends (network and pipe streams return short reads).</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < PartSize)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }

    public async Task<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKeyOf(key);
        if (offset == 0 && length is null)
        {
            // The whole object (how assembly reads parts): one GET, whose headers give the size; no HEAD needed.
            var whole = await GetAsync(objectKey, null, 0, null, cancellationToken).ConfigureAwait(false);
            if (whole is null)
                return null;
            return new S3ObjectReadStream(_client, _bucket, objectKey, whole.ETag, 0, whole.ContentLength, whole);
        }

        // A range is checked against the size first so that out-of-range reads fail exactly like the local store's
        // (S3 would answer 416 only for a start past the end, and clamp an end past it).
        var head = await HeadAsync(objectKey, cancellationToken).ConfigureAwait(false);
        if (head is null)
            return null;
        var rangeLength = ObjectRange.Check(offset, length, head.ContentLength);
        if (rangeLength == 0)
            return new MemoryStream([], writable: false); // S3 has no empty byte range; nothing to fetch
        var first = await GetAsync(objectKey, head.ETag, offset, rangeLength, cancellationToken).ConfigureAwait(false);
        if (first is null)
            return null; // deleted in between
        return new S3ObjectReadStream(_client, _bucket, objectKey, head.ETag, offset, rangeLength, first);
    }

    /// <summary>GET of [offset, offset+length) (all of it when length is null); null when the object does not exist.</summary>
    private async Task<GetObjectResponse?> GetAsync(string objectKey, string? etag, long offset, long? length, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectAsync(
                S3ObjectReadStream.RangeRequest(_bucket, objectKey, etag, offset, length), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string objectKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        }
        // A HEAD response has no body, so a missing bucket also reads as 404 here; GETs and listings tell them apart.
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(ObjectKeyOf(key), cancellationToken).ConfigureAwait(false);
        return head?.ContentLength;
    }

    /// <summary>S3's DELETE succeeds whether or not the object exists, so existence is checked with a HEAD first;
    /// two concurrent deletes of one object may therefore both return true.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKeyOf(key);
        if (await HeadAsync(objectKey, cancellationToken).ConfigureAwait(false) is null)
            return false;
        await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>S3 lists keys in UTF-8 byte order, which for the ASCII-only valid keys is ordinal order.</summary>
    public async IAsyncEnumerable<RecordingObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RecordingObjectKey.ValidatePrefix(prefix);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _keyPrefix + prefix, MaxKeys = _listPageSize };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            // SDK 4 leaves collections null when a response has none.
            foreach (var item in page.S3Objects ?? [])
            {
                var key = item.Key[_keyPrefix.Length..];
                // Objects written by other tools under our prefix may not be valid keys; like the local store's
                // temporaries, they are not part of this store.
                if (RecordingObjectKey.IsValid(key))
                    yield return new RecordingObjectInfo(key, item.Size ?? 0);
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
                yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public void Dispose() => _client.Dispose();

    private string ObjectKeyOf(string key)
    {
        RecordingObjectKey.Validate(key);
        var objectKey = _keyPrefix + key;
        // S3's limit is 1024 bytes of UTF-8; valid keys are ASCII, so characters are bytes.
        if (objectKey.Length > RecordingObjectKey.MaxLength)
            throw new ArgumentException($"Recording object key '{key}' is too long with the store's key prefix '{_keyPrefix}'.", nameof(key));
        return objectKey;
    }
}
