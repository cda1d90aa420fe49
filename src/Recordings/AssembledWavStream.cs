using System.Security.Cryptography;

namespace VoicePlatform.Recordings;

/// <summary>
/// A forward-only stream of a WAV header followed by the parts read one at a time from the store, so a recording
/// of any length is assembled in constant memory. A missing part or a short non-final part is filled with silence,
/// keeping everything after it at the right time. Hashes what it yields (SHA-256).
/// </summary>
internal sealed class AssembledWavStream : Stream
{
    private readonly IRecordingStore _store;
    private readonly string _prefix;
    private readonly IReadOnlyList<long> _partLengths; // index i = part i+1; the bytes each part contributes
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _header = new byte[WavHeader.Size];
    private int _headerSent;
    private int _partIndex;
    private long _partRemaining;
    private Stream? _part;
    private bool _partOpened;

    public AssembledWavStream(IRecordingStore store, string prefix, WavHeader header, IReadOnlyList<long> partLengths)
    {
        _store = store;
        _prefix = prefix;
        _partLengths = partLengths;
        header.WriteTo(_header);
        Length = WavHeader.Size + header.DataLength;
        _partRemaining = partLengths.Count > 0 ? partLengths[0] : 0;
    }

    public long BytesRead { get; private set; }

    public byte[] GetSha256() => _hash.GetCurrentHash();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = await ReadCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span[..count]);
        BytesRead += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Stores are expected to copy asynchronously; a synchronous reader still works.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
            return 0;
        if (_headerSent < _header.Length)
        {
            var n = Math.Min(buffer.Length, _header.Length - _headerSent);
            _header.AsMemory(_headerSent, n).CopyTo(buffer);
            _headerSent += n;
            return n;
        }
        while (_partIndex < _partLengths.Count)
        {
            if (_partRemaining == 0)
            {
                await ClosePartAsync().ConfigureAwait(false);
                _partIndex++;
                _partRemaining = _partIndex < _partLengths.Count ? _partLengths[_partIndex] : 0;
                continue;
            }
            if (!_partOpened)
            {
                _part = await _store.OpenReadAsync(RecordingLayout.PartKey(_prefix, _partIndex + 1), cancellationToken: cancellationToken).ConfigureAwait(false);
                _partOpened = true;
            }
            var want = (int)Math.Min(buffer.Length, _partRemaining);
            var read = _part is null ? 0 : await _part.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // Missing or short part: silence for the rest of its slot.
                buffer.Span[..want].Clear();
                await ClosePartAsync().ConfigureAwait(false);
                _partOpened = true;
                read = want;
            }
            _partRemaining -= read;
            return read;
        }
        return 0;
    }

    private async ValueTask ClosePartAsync()
    {
        if (_part is not null)
            await _part.DisposeAsync().ConfigureAwait(false);
        _part = null;
        _partOpened = false;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _part?.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
