namespace VoicePlatform.Audio.Tests;

/// <summary>
/// G.711 μ-law. Expected values follow ITU-T G.711 Table 2a as implemented bit-exactly by the ITU-T G.191
/// reference (<c>ulaw_compress</c>/<c>ulaw_expand</c>); the decode entries also match the classic Sun g711.c table.
/// </summary>
public sealed class MuLawTests
{
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)] // G.191 one's complement: -1..-4 are "negative zero"
    [InlineData(-4, 0x7F)]
    [InlineData(-5, 0x7E)]
    [InlineData(4, 0xFE)]
    [InlineData(1000, 0xCE)]
    [InlineData(-1000, 0x4E)]
    [InlineData(32124, 0x80)]
    [InlineData(32767, 0x80)] // clips
    [InlineData(-32768, 0x00)]
    public void EncodeSample_MatchesReference(short sample, int code)
    {
        Assert.Equal((byte)code, MuLaw.EncodeSample(sample));
    }

    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x01, -31100)]
    [InlineData(0x0F, -16764)]
    [InlineData(0x70, -120)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0xCE, 988)]
    [InlineData(0xF0, 120)]
    [InlineData(0xFE, 8)]
    [InlineData(0xFF, 0)]
    public void DecodeSample_MatchesReferenceTable(int code, short sample)
    {
        Assert.Equal(sample, MuLaw.DecodeSample((byte)code));
    }

    [Fact]
    public void DecodeTable_IsSignSymmetric_AndMonotonic()
    {
        for (int code = 0; code < 128; code++)
        {
            // Sign bit set = positive; the magnitude bits are inverted, so larger codes are smaller magnitudes.
            Assert.Equal(MuLaw.DecodeSample((byte)(code | 0x80)), -MuLaw.DecodeSample((byte)code));
            if (code > 0)
            {
                Assert.True(MuLaw.DecodeSample((byte)(code | 0x80)) < MuLaw.DecodeSample((byte)((code - 1) | 0x80)));
            }
        }
    }

    [Fact]
    public void DecodeTable_StepDoublesPerSegment()
    {
        for (int segment = 0; segment < 8; segment++)
        {
            for (int step = 0; step < 15; step++)
            {
                int code = 0xFF - (segment * 16) - step;
                int difference = MuLaw.DecodeSample((byte)(code - 1)) - MuLaw.DecodeSample((byte)code);
                Assert.Equal(8 << segment, difference);
            }
        }
    }

    [Fact]
    public void RoundTrip_EveryPcm16Value_StaysWithinHalfAQuantisationStep()
    {
        // μ-law segment s covers biased magnitudes |x| + 132 in [128·2^s, 256·2^s) with step 8·2^s; the
        // reconstruction is the interval midpoint, so the error is at most (|x| + 132) / 32 (also at clipping).
        int previous = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int decoded = MuLaw.DecodeSample(MuLaw.EncodeSample((short)x));
            double bound = (Math.Abs(x) + 132) / 32.0;
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
            int expected = code == 0x7F ? 0xFF : code; // negative zero decodes to 0, which encodes as positive zero
            Assert.Equal(expected, MuLaw.EncodeSample(MuLaw.DecodeSample((byte)code)));
        }
    }

    [Fact]
    public void SpanApis_MatchScalar_AndCheckLengths()
    {
        short[] pcm = Signal.Tone(440, 8000, 1000, 30000);
        var encoded = new byte[pcm.Length];
        var decoded = new short[pcm.Length];

        Assert.Equal(pcm.Length, MuLaw.Encode(pcm, encoded));
        Assert.Equal(pcm.Length, MuLaw.Decode(encoded, decoded));

        for (int i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(MuLaw.EncodeSample(pcm[i]), encoded[i]);
            Assert.Equal(MuLaw.DecodeSample(encoded[i]), decoded[i]);
        }

        Assert.Throws<ArgumentException>(() => MuLaw.Encode(pcm, new byte[pcm.Length - 1]));
        Assert.Throws<ArgumentException>(() => MuLaw.Decode(encoded, new short[encoded.Length - 1]));
    }
}
