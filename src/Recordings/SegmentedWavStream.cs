namespace VoicePlatform.Recordings;

/// <summary>
/// A forward-only window [start, start+length) over a sequence of pieces (header bytes, silence, stored objects),
/// opening each stored object only for the bytes of it inside the window, one at a time.
/// </summary>
internal sealed class SegmentedWavStream : Stream
{
    private readonly IRecordingStore _store;
    private readonly IReadOnlyList<SegmentedWavPiece> _pieces;
    private readonly long _end;
    private long _position; // absolute, in the whole WAV
    private int _piece; // the piece _position is in
    private long _pieceStart; // absolute position of that piece
    private Stream? _open; // the stored piece being read, positioned at _position

    public SegmentedWavStream(IRecordingStore store, IReadOnlyList<SegmentedWavPiece> pieces, long start, long length)
    {
        _store = store;
        _pieces = pieces;
        _position = start;
        _end = start + length;
        Length = length;
        while (_piece < _pieces.Count && _pieceStart + _pieces[_piece].Length <= _position)
            _pieceStart += _pieces[_piece++].Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position - (_end - Length);
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_position >= _end || _piece >= _pieces.Count || buffer.Length == 0)
                return 0;
            var piece = _pieces[_piece];
            var within = _position - _pieceStart;
            if (within == piece.Length)
            {
                await NextPieceAsync().ConfigureAwait(false); // an empty segment
                continue;
            }
            var want = (int)Math.Min(buffer.Length, Math.Min(piece.Length - within, _end - _position));
            int read;
            if (piece.Memory is { } memory)
            {
                memory.AsMemory((int)within, want).CopyTo(buffer);
                read = want;
            }
            else if (piece.Key is null)
            {
                buffer.Span[..want].Clear();
                read = want;
            }
            else
            {
                _open ??= await _store.OpenReadAsync(piece.Key, piece.Offset + within,
                              Math.Min(piece.Length - within, _end - _position), cancellationToken).ConfigureAwait(false)
                          ?? throw new IOException($"Recording segment '{piece.Key}' disappeared while it was being read.");
                read = await _open.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    throw new EndOfStreamException($"Recording segment '{piece.Key}' is shorter than its header said.");
            }
            _position += read;
            if (_position - _pieceStart == piece.Length)
                await NextPieceAsync().ConfigureAwait(false);
            return read;
        }
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    // Synchronous reads block on the store; ASP.NET and CopyToAsync use the asynchronous path.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        if (_open is not null)
            await _open.DisposeAsync().ConfigureAwait(false);
        _open = null;
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _open?.Dispose();
        _open = null;
        base.Dispose(disposing);
    }

    private async ValueTask NextPieceAsync()
    {
        if (_open is not null)
            await _open.DisposeAsync().ConfigureAwait(false);
        _open = null;
        _pieceStart += _pieces[_piece].Length;
        _piece++;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
