using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VoicePlatform.Recordings;

/// <summary>
/// One mono channel of the not-yet-finalised part of the timeline: a ring of samples covering absolute frames
/// [<see cref="Start"/>, <see cref="Start"/> + capacity). Audio is written at absolute frame positions (possibly
/// ahead of "now"), cleared again on truncation, and taken from the front once final. Slots never written hold
/// silence: the invariant is that every slot outside [Start, written end) is zero.
/// Not thread-safe; <see cref="StereoCallRecorder"/> serialises access.
/// </summary>
internal sealed class ChannelTimeline : IDisposable
{
    private const int InitialCapacity = 1 << 16; // 2.7 s at 24 kHz: the usual working set, grown on assistant bursts

    private readonly int _maxCapacity;
    private short[] _ring;
    private int _capacity; // power of two, so a frame's slot is frame & (capacity - 1)
    private long _start;
    private long _writtenEnd; // no non-zero sample at or after this frame

    public ChannelTimeline(long maxFramesAhead)
    {
        _maxCapacity = (int)Math.Min(1UL << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)Math.Max(maxFramesAhead, InitialCapacity)));
        _capacity = Math.Min(InitialCapacity, _maxCapacity);
        _ring = ArrayPool<short>.Shared.Rent(_capacity);
        Array.Clear(_ring, 0, _capacity);
    }

    /// <summary>First frame not yet taken (finalised).</summary>
    public long Start => _start;

    public int CapacityFrames => _capacity;

    /// <summary>
    /// Writes PCM16 LE mono at absolute frame <paramref name="at"/> (≥ <see cref="Start"/>), replacing what was there.
    /// Returns the frames actually written: fewer when the end would lie beyond the maximum window.
    /// </summary>
    public int Write(long at, ReadOnlySpan<byte> pcm16)
    {
        if (at < _start)
            throw new ArgumentOutOfRangeException(nameof(at), "Cannot write before the finalised position.");
        var frames = pcm16.Length / 2;
        var offset = at - _start;
        if (offset >= _maxCapacity)
            return 0;
        frames = (int)Math.Min(frames, _maxCapacity - offset);
        if (frames == 0)
            return 0;
        EnsureCapacity(offset + frames);

        var source = pcm16[..(frames * 2)];
        var slot = (int)(at & (_capacity - 1));
        var first = Math.Min(frames, _capacity - slot);
        CopySamples(source[..(first * 2)], _ring.AsSpan(slot, first));
        CopySamples(source[(first * 2)..], _ring.AsSpan(0, frames - first));
        _writtenEnd = Math.Max(_writtenEnd, at + frames);
        return frames;
    }

    /// <summary>Silences frames [from, to) that are still in the window.</summary>
    public void Clear(long from, long to)
    {
        from = Math.Max(from, _start);
        to = Math.Min(to, _writtenEnd);
        if (to <= from)
            return;
        Slots(from, (int)(to - from), out var first, out var second);
        first.Clear();
        second.Clear();
        if (to == _writtenEnd)
            _writtenEnd = from;
    }

    /// <summary>
    /// Moves frames [<paramref name="from"/>, <paramref name="to"/>) <paramref name="by"/> frames earlier, replacing what
    /// was there and silencing what the move uncovers. The destination must still be in the window.
    /// </summary>
    public void MoveEarlier(long from, long to, long by)
    {
        if (by <= 0 || to <= from)
            return;
        if (from - by < _start || to > _start + _capacity)
            throw new ArgumentOutOfRangeException(nameof(by), "Cannot move audio out of the editable window.");
        // Ascending copy is safe for overlapping ranges because the destination lies before the source.
        var mask = _capacity - 1;
        for (var frame = from; frame < to; frame++)
            _ring[(int)((frame - by) & mask)] = _ring[(int)(frame & mask)];
        Clear(Math.Max(from, to - by), to);
    }

    /// <summary>Moves the next <paramref name="destination"/>.Length frames out of the window (finalising them).</summary>
    public void Take(Span<short> destination)
    {
        var frames = destination.Length;
        if (frames > _capacity)
            throw new ArgumentOutOfRangeException(nameof(destination), "Take at most the window capacity at once.");
        Slots(_start, frames, out var first, out var second);
        first.CopyTo(destination);
        second.CopyTo(destination[first.Length..]);
        first.Clear();
        second.Clear();
        _start += frames;
        _writtenEnd = Math.Max(_writtenEnd, _start);
    }

    public void Dispose()
    {
        var ring = _ring;
        _ring = [];
        _capacity = 0;
        if (ring.Length > 0)
            ArrayPool<short>.Shared.Return(ring);
    }

    private void Slots(long from, int count, out Span<short> first, out Span<short> second)
    {
        var slot = (int)(from & (_capacity - 1));
        var firstCount = Math.Min(count, _capacity - slot);
        first = _ring.AsSpan(slot, firstCount);
        second = _ring.AsSpan(0, count - firstCount);
    }

    private void EnsureCapacity(long framesFromStart)
    {
        if (framesFromStart <= _capacity)
            return;
        var capacity = (int)Math.Min((ulong)_maxCapacity, System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)framesFromStart));
        var ring = ArrayPool<short>.Shared.Rent(capacity);
        Array.Clear(ring, 0, capacity);
        // Re-home the live frames [start, writtenEnd) at their slots for the new capacity.
        var live = (int)(_writtenEnd - _start);
        Slots(_start, live, out var first, out var second);
        var slot = (int)(_start & (capacity - 1));
        var head = Math.Min(live, capacity - slot);
        var target = ring.AsSpan();
        CopyRange(first, second, 0, target.Slice(slot, head));
        CopyRange(first, second, head, target[..(live - head)]);
        ArrayPool<short>.Shared.Return(_ring);
        _ring = ring;
        _capacity = capacity;
    }

    /// <summary>Copies destination.Length samples starting at <paramref name="offset"/> of the logical concatenation first+second.</summary>
    private static void CopyRange(Span<short> first, Span<short> second, int offset, Span<short> destination)
    {
        var remaining = destination;
        if (offset < first.Length)
        {
            var n = Math.Min(remaining.Length, first.Length - offset);
            first.Slice(offset, n).CopyTo(remaining);
            remaining = remaining[n..];
            offset = 0;
        }
        else
        {
            offset -= first.Length;
        }
        second.Slice(offset, remaining.Length).CopyTo(remaining);
    }

    private static void CopySamples(ReadOnlySpan<byte> pcm16, Span<short> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, short>(pcm16).CopyTo(destination);
            return;
        }
        for (var i = 0; i < destination.Length; i++)
            destination[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm16[(i * 2)..]);
    }
}
