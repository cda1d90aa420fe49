namespace VoicePlatform.Recordings.Tests;

/// <summary>
/// A forward-only upload source like a network or pipe stream: deterministic bytes, no Length, no Seek, short reads
/// (at most 64 KiB each). Optionally fails with an <see cref="IOException"/> once <c>failAt</c> bytes were produced.
/// </summary>
internal sealed class NonSeekableSource(long length, long failAt = long.MaxValue) : Stream
{
    private const int MaxRead = 64 * 1024;
    private long _produced;

    /// <summary>Called after each read with the total produced so far.</summary>
    public Action<long>? OnRead { get; init; }

    public static byte ByteAt(long index) => (byte)(index * 131 + (index >> 11));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_produced >= failAt)
            throw new IOException("source failed");
        var count = (int)Math.Min(Math.Min(buffer.Length, MaxRead), Math.Min(length, failAt) - _produced);
        if (count <= 0)
            return 0;
        for (var i = 0; i < count; i++)
            buffer[i] = ByteAt(_produced + i);
        _produced += count;
        OnRead?.Invoke(_produced);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
