using System.Threading.Channels;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The client frames of one session that the Router has not yet acknowledged, in order. The writer to the current
/// Router stream reads from it by sequence number; acknowledgements trim it; after a re-attach the writer starts again
/// from the first unacknowledged frame, so nothing the client sent is lost when a Router dies. Bounded in bytes: while
/// no Router takes frames (a re-attach in progress) the client can only get so far ahead.
/// </summary>
public sealed class ClientFrameBuffer(long maxBytes, TimeProvider? time = null)
{
    private readonly object _gate = new();
    private readonly List<SessionClientFrame> _frames = [];
    // "Something was appended", at most one pending. Synchronous continuations: the client's reader, appending, runs
    // the waiting Router writer on its own thread up to the writer's next wait, so a frame costs no thread hop.
    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        AllowSynchronousContinuations = true,
    });
    private readonly SemaphoreSlim _trimmed = new(0, 1);
    private ulong _firstSeq = 1; // seq of _frames[0]
    private ulong _nextSeq = 1;
    private long _bytes;
    private bool _completed;

    /// <summary>
    /// Numbers the frame and keeps it until acknowledged. False (frame dropped) when the buffer is full; an empty
    /// buffer takes any one frame, so a frame larger than the whole budget is not refused for ever.
    /// <paramref name="numbered"/> sees the numbered frame before any writer can.
    /// </summary>
    public bool TryAppend(SessionClientFrame frame, Action<SessionClientFrame>? numbered = null)
    {
        lock (_gate)
        {
            var size = frame.CalculateSize();
            if (_bytes > 0 && _bytes + size > maxBytes) return false;
            frame.Seq = _nextSeq++;
            numbered?.Invoke(frame);
            _frames.Add(frame);
            _bytes += size;
        }
        Signal();
        return true;
    }

    /// <summary>The client is gone: writers finish once they have sent everything.</summary>
    public void Complete()
    {
        lock (_gate) _completed = true;
        Signal();
    }

    /// <summary>Drops frames up to <paramref name="seq"/>: the Router handed them to the provider.</summary>
    public void Acknowledge(ulong seq)
    {
        lock (_gate)
        {
            if (seq < _firstSeq) return;
            var count = (int)Math.Min((ulong)_frames.Count, seq - _firstSeq + 1);
            for (var i = 0; i < count; i++) _bytes -= _frames[i].CalculateSize();
            _frames.RemoveRange(0, count);
            _firstSeq += (ulong)count;
            if (count > 0 && _trimmed.CurrentCount == 0) _trimmed.Release();
        }
    }

    /// <summary>
    /// Appends, waiting up to <paramref name="timeout"/> for acknowledgements to make room: one large client append
    /// arrives as many frames at once, and the Router takes them far faster than any client can send.
    /// </summary>
    public async ValueTask<bool> AppendAsync(SessionClientFrame frame, TimeSpan timeout, CancellationToken cancellationToken,
        Action<SessionClientFrame>? numbered = null)
    {
        if (TryAppend(frame, numbered)) return true;
        using var expiry = new CancellationTokenSource(timeout, time ?? TimeProvider.System);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            while (!TryAppend(frame, numbered)) await _trimmed.WaitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The first frame not yet acknowledged (where a new Router stream starts).</summary>
    public ulong FirstUnacknowledged
    {
        get { lock (_gate) return _firstSeq; }
    }

    /// <summary>The frame numbered <paramref name="seq"/> (or the first later one still held), waiting for it; null once the client is gone and all is sent.</summary>
    public async ValueTask<SessionClientFrame?> NextAsync(ulong seq, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                var index = seq < _firstSeq ? 0 : (long)(seq - _firstSeq);
                if (index < _frames.Count) return _frames[(int)index];
                if (_completed) return null;
            }
            await _appended.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>Wakes the writer; never under <c>_gate</c>, since the writer may run here and now.</summary>
    private void Signal() => _appended.Writer.TryWrite(true);
}
