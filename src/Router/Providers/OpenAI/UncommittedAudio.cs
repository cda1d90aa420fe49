using System.Buffers;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// The 24 kHz audio appended to the current connection since its input buffer was last committed or cleared — what a
/// new connection needs to hear again when a rollover has to happen mid-utterance. Outside speech with server VAD only
/// the last <see cref="IdleKeepBytes"/> are kept (OpenAI's prefix padding reaches back less than that), so an idle
/// session holds little; during speech or with manual turns everything is kept, up to <see cref="MaxBytes"/> (the
/// oldest audio falls out beyond it). A pooled ring; appends copy into it and allocate nothing in steady state.
/// Callers serialize access (the session's send lock), except <see cref="MarkStale"/>.
/// </summary>
internal sealed class UncommittedAudio : IDisposable
{
    public const int BytesPerSecond = 24000 * 2;
    public const int IdleKeepBytes = BytesPerSecond; // 1 s
    public const int MaxBytes = 60 * BytesPerSecond; // 60 s

    private byte[] _buffer = []; // a ring: _length bytes from _start, wrapping
    private int _start;
    private int _length;

    private volatile bool _stale; // set by the reader on committed/cleared; applied by the next append

    public int Length => _length;

    /// <summary>The server committed or cleared its input buffer: what is kept here is no longer uncommitted.</summary>
    public bool IsStale => _stale;

    /// <summary>From the connection's reader (any thread): the next <see cref="Append"/> starts afresh.</summary>
    public void MarkStale() => _stale = true;

    /// <param name="keepAll">Speech in progress or manual turns: the whole utterance may still be committed.</param>
    public void Append(ReadOnlySpan<byte> pcm, bool keepAll)
    {
        if (_stale)
        {
            _stale = false;
            Clear();
        }
        if (pcm.IsEmpty) return; // nothing to keep (and a ring with no storage yet has no positions to compute)
        var limit = keepAll ? MaxBytes : IdleKeepBytes;
        if (pcm.Length >= limit)
        {
            pcm = pcm[^limit..];
            _start = _length = 0;
        }
        if (_length + pcm.Length > limit)
        {
            var drop = _length + pcm.Length - limit;
            _start = (_start + drop) % Math.Max(1, _buffer.Length);
            _length -= drop;
        }
        if (_buffer.Length < _length + pcm.Length) Grow(Math.Min(limit, Math.Max(_length + pcm.Length, 2 * _buffer.Length)));

        var tail = (_start + _length) % _buffer.Length;
        var first = Math.Min(pcm.Length, _buffer.Length - tail);
        pcm[..first].CopyTo(_buffer.AsSpan(tail));
        pcm[first..].CopyTo(_buffer);
        _length += pcm.Length;
    }

    /// <summary>The buffer was committed or cleared upstream: nothing before this point can be part of a turn.</summary>
    public void Clear() => _start = _length = 0;

    /// <summary>The kept audio, oldest first, as at most two contiguous pieces.</summary>
    public (ReadOnlyMemory<byte> First, ReadOnlyMemory<byte> Second) Pieces()
    {
        var first = Math.Min(_length, _buffer.Length - _start);
        return (_buffer.AsMemory(_start, first), _buffer.AsMemory(0, _length - first));
    }

    private void Grow(int capacity)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        var (first, second) = Pieces();
        first.Span.CopyTo(bigger);
        second.Span.CopyTo(bigger.AsSpan(first.Length));
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _start = 0;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
    }
}
