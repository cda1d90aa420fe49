using System.Buffers;
using System.IO.Pipelines;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// One end of an in-memory connection: what one end writes, the other reads. The warm-up runs a real WebSocket
/// (the framework's, as Kestrel hands it to the endpoint) over a pair of these, so no socket is opened.
/// </summary>
internal sealed class LoopbackStream(PipeReader input, PipeWriter output) : Stream
{
    public static (Stream Server, Stream Client) CreatePair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new LoopbackStream(toServer.Reader, toClient.Writer), new LoopbackStream(toClient.Reader, toServer.Writer));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await input.ReadAsync(cancellationToken);
        var available = result.Buffer;
        if (available.IsEmpty && result.IsCompleted) return 0;
        var count = (int)Math.Min(available.Length, buffer.Length);
        var taken = available.Slice(0, count);
        taken.CopyTo(buffer.Span);
        input.AdvanceTo(taken.End);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        await output.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await output.FlushAsync(cancellationToken);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Complete();
            output.Complete();
        }
        base.Dispose(disposing);
    }
}
