using System.Buffers;

namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

/// <summary>
/// The session's input audio buffer: raw wire bytes (so committed items hold exactly what the client sent)
/// with the absolute tick position of its first byte. Storage is pooled and reused across turns.
/// </summary>
internal sealed class InputAudioBuffer : IDisposable
{
    private byte[] _data = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _offset;
    private int _length;

    public InputAudioBuffer(AudioFormat format, long startTick)
    {
        Format = format;
        StartTick = startTick;
    }

    public AudioFormat Format { get; private set; }

    /// <summary>Absolute position (ticks) of the first buffered byte.</summary>
    public long StartTick { get; private set; }

    public int ByteCount => _length;

    public long EndTick => StartTick + TicksFor(_length);

    public double DurationMs => Format.DurationMs(_length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_data.AsSpan(_offset + _length));
        _length += bytes.Length;
    }

    /// <summary>Copies [from, to) out as an item's audio and drops everything before <paramref name="toTick"/>.</summary>
    public byte[] Take(long fromTick, long toTick)
    {
        var from = ByteOffset(fromTick);
        var to = ByteOffset(toTick);
        var result = _data.AsSpan(_offset + from, to - from).ToArray();
        Drop(to);
        return result;
    }

    /// <summary>Discards audio before <paramref name="tick"/> (pre-speech silence the VAD will never commit).</summary>
    public void TrimBefore(long tick) => Drop(ByteOffset(tick));

    /// <summary>Empties the buffer; the next byte is at <paramref name="positionTick"/> (the session's audio clock).</summary>
    public void Clear(long positionTick, AudioFormat format)
    {
        Format = format;
        _offset = 0;
        _length = 0;
        StartTick = positionTick;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_data);
        _data = [];
    }

    private long TicksFor(int bytes) => (long)(bytes / Format.BytesPerSample) * Format.TicksPerSample;

    private int ByteOffset(long tick)
    {
        var samples = Math.Max(0, tick - StartTick) / Format.TicksPerSample;
        return (int)Math.Min(_length, samples * Format.BytesPerSample);
    }

    private void Drop(int bytes)
    {
        StartTick += TicksFor(bytes);
        _offset += bytes;
        _length -= bytes;
        if (_length == 0)
        {
            _offset = 0;
        }
    }

    private void EnsureCapacity(int extra)
    {
        if (_offset + _length + extra <= _data.Length)
        {
            return;
        }
        if (_length + extra <= _data.Length)
        {
            // Enough room once the consumed prefix is reclaimed.
            Buffer.BlockCopy(_data, _offset, _data, 0, _length);
            _offset = 0;
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_data.Length * 2, _length + extra));
        Buffer.BlockCopy(_data, _offset, bigger, 0, _length);
        ArrayPool<byte>.Shared.Return(_data);
        _data = bigger;
        _offset = 0;
    }
}
