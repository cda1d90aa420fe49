namespace VoicePlatform.Audio.Tests;

/// <summary>
/// G.711 A-law. Expected values follow ITU-T G.711 Table 1a as implemented bit-exactly by the ITU-T G.191
/// reference (<c>alaw_compress</c>/<c>alaw_expand</c>); the decode entries also match the classic Sun g711.c table.
/// </summary>
public sealed class ALawTests
{
    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(15, 0xD5)]
    [InlineData(16, 0xD4)]
    [InlineData(-1, 0x55)] // mid-riser: -1 is the first negative level
    [InlineData(-16, 0x55)]
    [InlineData(-17, 0x54)]
    [InlineData(1000, 0xFA)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void EncodeSample_MatchesReference(short sample, int code)
    {
        Assert.Equal((byte)code, ALaw.EncodeSample(sample));
    }

    [Theory]
    [InlineData(0x00, -5504)]
    [InlineData(0x01, -5248)]
    [InlineData(0x02, -6016)]
    [InlineData(0x2A, -32256)]
    [InlineData(0x55, -8)]
    [InlineData(0x80, 5504)]
    [InlineData(0xAA, 32256)]
    [InlineData(0xD5, 8)]
    [InlineData(0xFA, 1008)]
    public void DecodeSample_MatchesReferenceTable(int code, short sample)
    {
        Assert.Equal(sample, ALaw.DecodeSample((byte)code));
    }

    [Fact]
    public void DecodeTable_IsSignSymmetric_AndMonotonicInTheUnmaskedCode()
    {
        for (int code = 0; code < 128; code++)
        {
            Assert.Equal(ALaw.DecodeSample((byte)(code | 0x80)), -ALaw.DecodeSample((byte)code));

            // Remove the even-bit inversion: then magnitude grows with the code.
            if (code > 0)
            {
                int current = ALaw.DecodeSample((byte)((code ^ 0x55) | 0x80));
                int below = ALaw.DecodeSample((byte)(((code - 1) ^ 0x55) | 0x80));
                Assert.True(current > below, $"code {code}");
            }
        }
    }

    [Fact]
    public void RoundTrip_EveryPcm16Value_StaysWithinHalfAQuantisationStep()
    {
        // Segments 0 and 1 have step 16 (half step 8); segment s ≥ 1 covers |x| in [128·2^s, 256·2^s) with
        // step 8·2^s, so the midpoint error is at most max(8, |x| / 32), including the clipped top.
        int previous = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int decoded = ALaw.DecodeSample(ALaw.EncodeSample((short)x));
            double bound = Math.Max(8, Math.Abs(x) / 32.0);
            Assert.True(Math.Abs(decoded - x) <= bound, $"x={x}: decoded {decoded}, error bound {bound}");
            Assert.True(decoded >= previous, $"not monotonic at {x}");
            previous = decoded;
        }
    }

    [Fact]
    public void EncodingADecodedValue_GivesTheSameCode()
    {
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal(code, ALaw.EncodeSample(ALaw.DecodeSample((byte)code)));
        }
    }

    [Fact]
    public void SpanApis_MatchScalar_AndCheckLengths()
    {
        short[] pcm = Signal.Tone(440, 8000, 1000, 30000);
        var encoded = new byte[pcm.Length];
        var decoded = new short[pcm.Length];

        Assert.Equal(pcm.Length, ALaw.Encode(pcm, encoded));
        Assert.Equal(pcm.Length, ALaw.Decode(encoded, decoded));

        for (int i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(ALaw.EncodeSample(pcm[i]), encoded[i]);
            Assert.Equal(ALaw.DecodeSample(encoded[i]), decoded[i]);
        }

        Assert.Throws<ArgumentException>(() => ALaw.Encode(pcm, new byte[pcm.Length - 1]));
        Assert.Throws<ArgumentException>(() => ALaw.Decode(encoded, new short[encoded.Length - 1]));
    }
}
