using System.Buffers.Binary;
using System.Text;

namespace VoicePlatform.Cli.Talk;

/// <summary>
/// RIFF/WAVE reading (integer PCM of 8, 16, 24 or 32 bits, IEEE float of 32 or 64 bits, plain or WAVE_FORMAT_EXTENSIBLE,
/// any rate and channel count) and writing (mono PCM16).
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    public static PcmAudio Read(byte[] file)
    {
        if (file.Length < 12 || Ascii(file, 0) != "RIFF" || Ascii(file, 8) != "WAVE")
            throw new InvalidDataException("not a WAV file (no RIFF/WAVE header)");

        (ushort Format, int Channels, int Rate, int Bits)? format = null;
        for (var offset = 12; offset + 8 <= file.Length;)
        {
            var id = Ascii(file, offset);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4)), (uint)(file.Length - offset - 8));
            var body = file.AsSpan(offset + 8, size);
            if (id == "fmt " && size >= 16)
            {
                var tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
                if (tag == FormatExtensible && size >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]); // the subformat GUID's first two bytes
                format = (tag, BinaryPrimitives.ReadUInt16LittleEndian(body[2..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(body[14..]));
            }
            else if (id == "data")
            {
                if (format is not { } f) throw new InvalidDataException("the data chunk comes before the fmt chunk");
                return new PcmAudio(Decode(body, f.Format, f.Bits), f.Rate, f.Channels) is { Channels: > 0, SampleRate: > 0 } audio
                    ? audio
                    : throw new InvalidDataException("zero channels or sample rate");
            }
            offset += 8 + size + (size & 1); // chunks are padded to an even size
        }
        throw new InvalidDataException("no data chunk");
    }

    /// <summary>A mono PCM16 WAV of <paramref name="pcm"/> (little-endian samples) at <paramref name="sampleRate"/>.</summary>
    public static byte[] MonoPcm16(ReadOnlySpan<byte> pcm, int sampleRate)
    {
        var wav = new byte[44 + pcm.Length];
        var span = wav.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + pcm.Length));
        Encoding.ASCII.GetBytes("WAVEfmt ", span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(sampleRate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)pcm.Length);
        pcm.CopyTo(span[44..]);
        return wav;
    }

    private static float[] Decode(ReadOnlySpan<byte> data, ushort format, int bits)
    {
        var bytesPerSample = bits / 8;
        if (bytesPerSample == 0 || bits % 8 != 0) throw new InvalidDataException($"unsupported sample size {bits} bits");
        var samples = new float[data.Length / bytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = data.Slice(i * bytesPerSample, bytesPerSample);
            samples[i] = (format, bits) switch
            {
                (FormatPcm, 8) => (s[0] - 128) / 128f,
                (FormatPcm, 16) => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768f,
                (FormatPcm, 24) => ((s[2] << 24 | s[1] << 16 | s[0] << 8) >> 8) / 8388608f,
                (FormatPcm, 32) => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648f,
                (FormatFloat, 32) => BinaryPrimitives.ReadSingleLittleEndian(s),
                (FormatFloat, 64) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                _ => throw new InvalidDataException($"unsupported WAV encoding (format {format}, {bits} bits); use PCM or IEEE float"),
            };
        }
        return samples;
    }

    private static string Ascii(byte[] file, int offset) => Encoding.ASCII.GetString(file, offset, 4);
}
