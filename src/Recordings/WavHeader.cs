using System.Buffers.Binary;

namespace VoicePlatform.Recordings;

/// <summary>
/// The canonical 44-byte RIFF/WAVE header for integer PCM: "RIFF" size "WAVE", a 16-byte "fmt " chunk, then the
/// "data" chunk header. Data longer than RIFF's 32-bit sizes allow (≈12 h of 24 kHz stereo) gets 0xFFFFFFFF in both
/// size fields, the usual convention for streamed WAV that players accept by reading to end of file.
/// </summary>
public readonly record struct WavHeader(int SampleRate, short Channels, short BitsPerSample, long DataLength)
{
    public const int Size = 44;

    public int BlockAlign => Channels * BitsPerSample / 8;
    public int ByteRate => SampleRate * BlockAlign;
    public long Frames => DataLength / BlockAlign;
    public TimeSpan Duration => TimelineClock.ToTime(Frames, SampleRate);

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"Need {Size} bytes.", nameof(destination));
        var dataSize = DataLength > uint.MaxValue - 36 ? uint.MaxValue : (uint)DataLength;
        var riffSize = DataLength > uint.MaxValue - 36 ? uint.MaxValue : (uint)DataLength + 36;
        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riffSize);
        "WAVE"u8.CopyTo(destination[8..]);
        "fmt "u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(destination[20..], 1); // WAVE_FORMAT_PCM
        BinaryPrimitives.WriteInt16LittleEndian(destination[22..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], ByteRate);
        BinaryPrimitives.WriteInt16LittleEndian(destination[32..], (short)BlockAlign);
        BinaryPrimitives.WriteInt16LittleEndian(destination[34..], BitsPerSample);
        "data"u8.CopyTo(destination[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], dataSize);
    }

    /// <summary>Parses a header written by <see cref="WriteTo"/> (the canonical 44-byte PCM layout only).</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out WavHeader header)
    {
        header = default;
        if (source.Length < Size
            || !source[..4].SequenceEqual("RIFF"u8) || !source[8..12].SequenceEqual("WAVE"u8)
            || !source[12..16].SequenceEqual("fmt "u8) || BinaryPrimitives.ReadInt32LittleEndian(source[16..]) != 16
            || BinaryPrimitives.ReadInt16LittleEndian(source[20..]) != 1 || !source[36..40].SequenceEqual("data"u8))
            return false;
        header = new WavHeader(
            BinaryPrimitives.ReadInt32LittleEndian(source[24..]),
            BinaryPrimitives.ReadInt16LittleEndian(source[22..]),
            BinaryPrimitives.ReadInt16LittleEndian(source[34..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[40..]));
        return header.Channels > 0 && header.BitsPerSample > 0 && header.SampleRate > 0;
    }
}
