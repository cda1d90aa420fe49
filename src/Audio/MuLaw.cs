using System.Runtime.CompilerServices;
using System.Numerics;

namespace VoicePlatform.Audio;

/// <summary>
/// ITU-T G.711 μ-law codec for 16-bit linear PCM. Bit-exact with the ITU-T G.191 reference
/// (<c>ulaw_compress</c>/<c>ulaw_expand</c>): the 16-bit input is truncated to the 14-bit domain G.711 is
/// specified in, negative values use one's complement magnitude, and codes are sign-magnitude with the
/// bits inverted. Decode is a 256-entry table; encode is a few integer ops (no table needed).
/// </summary>
public static class MuLaw
{
    /// <summary>The μ-law bias (33 in the 14-bit domain) that makes segment boundaries powers of two.</summary>
    private const int Bias14 = 33;

    /// <summary>Largest biased 14-bit magnitude; G.711 clips to 8159 + 33.</summary>
    private const int ClipBiased14 = 0x1FFF;

    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one sample.</summary>
    public static byte EncodeSample(short sample)
    {
        int x = sample;
        int sign = x >= 0 ? 0x80 : 0x00;

        // One's complement for negatives, as G.191 does: -1..-4 map to "negative zero".
        int magnitude = ((x >= 0 ? x : ~x) >> 2) + Bias14;
        if (magnitude > ClipBiased14)
        {
            magnitude = ClipBiased14;
        }

        // Biased magnitude is in [33, 8191]: its top bit (5..12) selects the segment 0..7.
        int segment = BitOperations.Log2((uint)magnitude) - 5;
        int mantissa = (magnitude >> (segment + 1)) & 0x0F;
        return (byte)(sign | (((segment << 4) | mantissa) ^ 0x7F));
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

    /// <summary>G.711 reconstruction levels (interval midpoints), scaled from 14 to 16 bits, as in G.191's <c>ulaw_expand</c>.</summary>
    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < 256; code++)
        {
            int inverted = ~code;
            int segment = (inverted >> 4) & 0x07;
            int mantissa = inverted & 0x0F;
            int step = 4 << (segment + 1);
            int magnitude = (0x80 << segment) + step * mantissa + step / 2 - 4 * Bias14;
            table[code] = (short)((code & 0x80) != 0 ? magnitude : -magnitude);
        }

        return table;
    }
}
