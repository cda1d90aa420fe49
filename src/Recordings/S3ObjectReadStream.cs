using Amazon.S3;
using Amazon.S3.Model;

namespace VoicePlatform.Recordings;

/// <summary>
/// A read-only window [start, start+length) of an S3 object, streamed from a ranged GET. Seekable like the local
/// store's streams (ASP.NET range processing and <see cref="RecordingRangeRead.Content"/> rely on it): a seek only
/// moves the position, and the next read issues a new ranged GET from there if the open body is elsewhere.
/// Follow-up GETs are conditional on the ETag the stream was opened with, so one stream never mixes two versions of
/// a replaced object (on servers that honour If-Match).
/// </summary>
internal sealed class S3ObjectReadStream : Stream
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _objectKey;
    private readonly string? _etag;
    private readonly long _start;
    private readonly long _length;
    private GetObjectResponse? _response;
    private long _responsePosition; // window position the open body is at
    private long _position;

    public S3ObjectReadStream(IAmazonS3 client, string bucket, string objectKey, string? etag, long start, long length, GetObjectResponse firstResponse)
    {
        _client = client;
        _bucket = bucket;
        _objectKey = objectKey;
        _etag = etag;
        _start = start;
        _length = length;
        _response = firstResponse;
    }

    internal static GetObjectRequest RangeRequest(string bucket, string objectKey, string? etag, long offset, long? length)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = objectKey, EtagToMatch = etag };
        if (length is { } count)
            request.ByteRange = new ByteRange(offset, offset + count - 1);
        return request;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Bounded by the window, not by the body: a server may send more than asked (s3rver answers "bytes=0-0"
        // with the whole object).
        var allowed = (int)Math.Min(buffer.Length, _length - _position);
        if (allowed <= 0)
            return 0;
        if (_response is null || _responsePosition != _position)
        {
            CloseResponse();
            _response = await _client.GetObjectAsync(
                RangeRequest(_bucket, _objectKey, _etag, _start + _position, _length - _position), cancellationToken).ConfigureAwait(false);
            _responsePosition = _position;
        }
        var read = await _response.ResponseStream.ReadAsync(buffer[..allowed], cancellationToken).ConfigureAwait(false);
        if (read == 0)
            throw new IOException($"S3 object '{_objectKey}' ended {_length - _position} bytes early.");
        _position += read;
        _responsePosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Callers are expected to read asynchronously; a synchronous reader still works.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
            throw new IOException("Seek before the start of the range.");
        _position = target;
        return target;
    }

    private void CloseResponse()
    {
        _response?.Dispose();
        _response = null;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            CloseResponse();
        base.Dispose(disposing);
    }
}
