using System.Runtime.CompilerServices;
using System.Numerics;

namespace VoicePlatform.Audio;

/// <summary>
/// ITU-T G.711 A-law codec for 16-bit linear PCM. Bit-exact with the ITU-T G.191 reference
/// (<c>alaw_compress</c>/<c>alaw_expand</c>): the 16-bit input is truncated to the 13-bit domain G.711 is
/// specified in, negative values use one's complement magnitude (A-law is mid-riser: there is no zero code),
/// and even bits are inverted (XOR 0x55). Decode is a 256-entry table; encode is a few integer ops.
/// </summary>
public static class ALaw
{
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one sample.</summary>
    public static byte EncodeSample(short sample)
    {
        int x = sample;
        int sign = x >= 0 ? 0x80 : 0x00;

        // 12-bit magnitude (13-bit sign-magnitude domain); one's complement keeps the code table symmetric.
        int magnitude = (x >= 0 ? x : ~x) >> 4;
        int code;
        if (magnitude < 16)
        {
            // Segments 0 and 1 share the same step; segment 0 is linear.
            code = magnitude;
        }
        else
        {
            int segment = BitOperations.Log2((uint)magnitude) - 3; // [16, 2047] -> 1..7
            code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
        }

        return (byte)((sign | code) ^ 0x55);
    }

    /// <summary>Decodes one code.</summary>
    public static short DecodeSample(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="encoded"/>. Returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="encoded"/> is shorter than <paramref name="pcm"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    public static int Encode(ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        if (encoded.Length < pcm.Length)
        {
            throw new ArgumentException($"Destination needs {pcm.Length} bytes but holds {encoded.Length}.", nameof(encoded));
        }

        for (int i = 0; i < pcm.Length; i++)
        {
            encoded[i] = EncodeSample(pcm[i]);
        }

        return pcm.Length;
    }

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/>. Returns the number of samples written.</summary>
    /// <exception cref="ArgumentException"><paramref name="pcm"/> is shorter than <paramref name="encoded"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    public static int Decode(ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (pcm.Length < encoded.Length)
        {
            throw new ArgumentException($"Destination needs {encoded.Length} samples but holds {pcm.Length}.", nameof(pcm));
        }

        short[] table = DecodeTable;
        for (int i = 0; i < encoded.Length; i++)
        {
            pcm[i] = table[encoded[i]];
        }

        return encoded.Length;
    }

    /// <summary>G.711 reconstruction levels (interval midpoints), scaled from 13 to 16 bits, as in G.191's <c>alaw_expand</c>.</summary>
    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int value = (code ^ 0x55) & 0x7F;
            int segment = value >> 4;
            int mantissa = value & 0x0F;
            if (segment > 0)
            {
                mantissa += 16; // implicit leading one above segment 0
            }

            int magnitude = (mantissa << 4) + 8; // midpoint of the quantisation interval
            if (segment > 1)
            {
                magnitude <<= segment - 1;
            }

            table[code] = (short)((code & 0x80) != 0 ? magnitude : -magnitude);
        }

        return table;
    }
}
