using System.Numerics;

namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

/// <summary>
/// ITU-T G.711 μ-law and A-law (the classic Sun reference algorithm). Kept inside the emulator on purpose:
/// the emulator must not share code with the platform's audio library it is used to test.
/// Lookup tables make both directions a single array read per sample.
/// </summary>
internal static class G711
{
    private const int MuBias = 0x84;
    private const int MuClip = 32635;

    private static readonly short[] MuDecode = BuildDecode(DecodeMuLaw);
    private static readonly short[] ADecode = BuildDecode(DecodeALaw);
    private static readonly byte[] MuEncode = BuildEncode(EncodeMuLaw);
    private static readonly byte[] AEncode = BuildEncode(EncodeALaw);

    public static short MuLawToLinear(byte value) => MuDecode[value];
    public static short ALawToLinear(byte value) => ADecode[value];
    public static byte LinearToMuLaw(short sample) => MuEncode[(ushort)sample];
    public static byte LinearToALaw(short sample) => AEncode[(ushort)sample];

    public static void Decode(AudioEncoding encoding, ReadOnlySpan<byte> source, Span<short> destination)
    {
        var table = encoding == AudioEncoding.PcmU ? MuDecode : ADecode;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[source[i]];
        }
    }

    public static void Encode(AudioEncoding encoding, ReadOnlySpan<short> source, Span<byte> destination)
    {
        var table = encoding == AudioEncoding.PcmU ? MuEncode : AEncode;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = table[(ushort)source[i]];
        }
    }

    internal static byte EncodeMuLaw(short pcm)
    {
        int value = pcm;
        var sign = (value >> 8) & 0x80;
        if (sign != 0)
        {
            value = -value;
        }
        if (value > MuClip)
        {
            value = MuClip;
        }
        value += MuBias;
        var exponent = BitOperations.Log2((uint)(value >> 7) | 1);
        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    internal static short DecodeMuLaw(byte encoded)
    {
        int u = (byte)~encoded;
        var exponent = (u >> 4) & 0x07;
        var mantissa = u & 0x0F;
        var sample = (((mantissa << 3) + MuBias) << exponent) - MuBias;
        return (short)((u & 0x80) != 0 ? -sample : sample);
    }

    internal static byte EncodeALaw(short pcm)
    {
        int value = pcm >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }
        // Segment = number of significant bits above the 5-bit first segment.
        var segment = value <= 0x1F ? 0 : BitOperations.Log2((uint)value) - 4;
        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }
        var alaw = segment << 4;
        alaw |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(alaw ^ mask);
    }

    internal static short DecodeALaw(byte encoded)
    {
        int a = encoded ^ 0x55;
        var t = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        switch (segment)
        {
            case 0:
                t += 8;
                break;
            case 1:
                t += 0x108;
                break;
            default:
                t += 0x108;
                t <<= segment - 1;
                break;
        }
        return (short)((a & 0x80) != 0 ? t : -t);
    }

    private static short[] BuildDecode(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }
        return table;
    }

    private static byte[] BuildEncode(Func<short, byte> encode)
    {
        var table = new byte[65536];
        for (var i = 0; i < 65536; i++)
        {
            table[i] = encode((short)(ushort)i);
        }
        return table;
    }
}
