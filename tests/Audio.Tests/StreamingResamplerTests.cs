using Xunit.Abstractions;

namespace VoicePlatform.Audio.Tests;

public sealed class StreamingResamplerTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Ratios => new()
    {
        { 24000, 16000 },
        { 16000, 24000 },
        { 24000, 8000 },
        { 8000, 24000 },
        { 8000, 16000 },
        { 16000, 8000 },
        { 44100, 16000 },
        { 24000, 24000 },
    };

    [Fact]
    public void RoundTrip24kTo16kTo24k_KeepsA1kHzToneAbove60dBSnr()
    {
        short[] input = Signal.Tone(1000, 24000, 48000);
        var down = new StreamingResampler(24000, 16000);
        var up = new StreamingResampler(16000, 24000);

        short[] result = Signal.Resample(up, Signal.Resample(down, input));

        // The first stage's delay is in 16 kHz samples; express it at 24 kHz and add the second stage's.
        double delay = (down.DelaySamples * 24000 / 16000) + up.DelaySamples;
        int transient = 1000;
        double snr = Signal.SnrAgainstTone(result, 1000, 24000, delay, transient, result.Length - transient);
        output.WriteLine($"24k->16k->24k 1 kHz @ -6 dBFS: SNR {snr:F1} dB, delay {delay:F2} samples @24k, taps/output {down.TapsPerOutputSample}/{up.TapsPerOutputSample}");
        Assert.Equal(input.Length, result.Length);
        Assert.True(snr >= 60, $"SNR {snr:F1} dB < 60 dB");
    }

    [Theory]
    [InlineData(24000, 16000, 1000)]
    [InlineData(16000, 24000, 1000)]
    [InlineData(24000, 8000, 1000)]
    [InlineData(8000, 24000, 1000)]
    [InlineData(8000, 16000, 440)]
    [InlineData(16000, 8000, 3000)]
    [InlineData(24000, 16000, 6500)]
    public void OneWay_MatchesTheIdealDelayedTone(int inputRate, int outputRate, double frequency)
    {
        short[] input = Signal.Tone(frequency, inputRate, inputRate);
        var resampler = new StreamingResampler(inputRate, outputRate);

        short[] result = Signal.Resample(resampler, input);

        int transient = outputRate / 20;
        double snr = Signal.SnrAgainstTone(result, frequency, outputRate, resampler.DelaySamples, transient, result.Length - transient);
        output.WriteLine($"{inputRate}->{outputRate} {frequency} Hz: SNR {snr:F1} dB, delay {resampler.DelaySamples:F3} output samples");
        Assert.True(snr >= 60, $"SNR {snr:F1} dB < 60 dB");
    }

    [Theory]
    [InlineData(24000, 16000, 8200)]
    [InlineData(24000, 16000, 9000)]
    [InlineData(24000, 16000, 10000)]
    [InlineData(24000, 16000, 11900)]
    [InlineData(24000, 8000, 4100)]
    [InlineData(24000, 8000, 6000)]
    [InlineData(24000, 8000, 11000)]
    [InlineData(16000, 8000, 4200)]
    [InlineData(16000, 8000, 7000)]
    public void ToneAboveTargetNyquist_IsAttenuatedBy60dB(int inputRate, int outputRate, double frequency)
    {
        short[] input = Signal.Tone(frequency, inputRate, inputRate);
        var resampler = new StreamingResampler(inputRate, outputRate);

        short[] result = Signal.Resample(resampler, input);

        int transient = outputRate / 20;
        double attenuation = Signal.Db(Signal.MeanPower(input) / Signal.MeanPower(result.AsSpan(transient, result.Length - (2 * transient))));
        output.WriteLine($"{inputRate}->{outputRate} {frequency} Hz: attenuated {attenuation:F1} dB");
        Assert.True(attenuation >= 60, $"{frequency} Hz attenuated only {attenuation:F1} dB");
    }

    [Theory]
    [InlineData(16000, 24000, 5000)]
    [InlineData(8000, 24000, 3000)]
    [InlineData(8000, 16000, 3300)]
    public void Upsampling_SuppressesImagesBy60dB(int inputRate, int outputRate, double frequency)
    {
        // Zero-stuffing creates images at k·fin ± f; everything except the fitted tone must be ≥ 60 dB down.
        short[] input = Signal.Tone(frequency, inputRate, inputRate);
        var resampler = new StreamingResampler(inputRate, outputRate);

        short[] result = Signal.Resample(resampler, input);

        int transient = outputRate / 20;
        var (tone, residual) = Signal.FitTone(result, frequency, outputRate, transient, result.Length - transient);
        double rejection = Signal.Db(tone / residual);
        output.WriteLine($"{inputRate}->{outputRate} {frequency} Hz: images/noise {rejection:F1} dB below the tone");
        Assert.True(rejection >= 60, $"residual only {rejection:F1} dB below the tone");
    }

    [Theory]
    [MemberData(nameof(Ratios))]
    public void ChunkedProcessing_IsIdenticalToOneCall(int inputRate, int outputRate)
    {
        // Tone plus noise so every tap and phase matters.
        var random = new Random(42);
        short[] input = Signal.Tone(1000, inputRate, inputRate / 2, 12000);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (short)(input[i] + random.Next(-4000, 4000));
        }

        short[] reference = Signal.Resample(new StreamingResampler(inputRate, outputRate), input);

        var sizes = new Dictionary<string, Func<int>>
        {
            ["1"] = () => 1,
            ["7"] = () => 7,
            ["160"] = () => 160,
            ["441"] = () => 441,
            ["480"] = () => 480,
            ["random"] = () => random.Next(1, 1000),
            ["random small"] = () => random.Next(0, 4),
        };
        foreach (var (name, nextSize) in sizes)
        {
            short[] chunked = Signal.ResampleChunked(new StreamingResampler(inputRate, outputRate), input, nextSize);

            Assert.Equal(reference.Length, chunked.Length);
            int maxDifference = 0;
            for (int i = 0; i < reference.Length; i++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(reference[i] - chunked[i]));
            }

            output.WriteLine($"{inputRate}->{outputRate} chunks of {name}: max |difference| {maxDifference} LSB");
            Assert.True(maxDifference <= 1, $"chunks of {name}: output differs by {maxDifference} LSB");
        }
    }

    [Theory]
    [MemberData(nameof(Ratios))]
    public void OutputLength_FollowsTheRatioExactly_OverALongStream(int inputRate, int outputRate)
    {
        var random = new Random(7);
        var resampler = new StreamingResampler(inputRate, outputRate);
        var input = new short[4096];
        var buffer = new short[resampler.GetMaxOutputSamples(input.Length)];
        long totalIn = 0, totalOut = 0;

        // 60 s of audio in random pieces; the count must never drift from ⌈n·fout/fin⌉.
        while (totalIn < 60L * inputRate)
        {
            int size = random.Next(0, input.Length);
            int produced = resampler.Process(input.AsSpan(0, size), buffer);
            Assert.True(produced <= resampler.GetMaxOutputSamples(size));
            totalIn += size;
            totalOut += produced;
            long ideal = ((totalIn * outputRate) + inputRate - 1) / inputRate;
            Assert.Equal(ideal, totalOut);
        }
    }

    [Fact]
    public void Identity_CopiesWithoutDelay()
    {
        short[] input = Signal.Tone(1000, 24000, 1000);
        var resampler = new StreamingResampler(24000, 24000);

        short[] result = Signal.Resample(resampler, input);

        Assert.Equal(input, result);
        Assert.Equal(0, resampler.DelaySamples);
    }

    [Fact]
    public void FilterOvershoot_SaturatesInsteadOfWrapping()
    {
        // A full-scale square wave makes the band-limited output ring past full scale (Gibbs).
        // The filter is linear, so full-scale output must equal clamp(2 × half-scale output).
        var full = new short[24000];
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = (short)((i / 48 % 2 == 0) ? 32766 : -32766);
        }

        short[] half = Array.ConvertAll(full, s => (short)(s / 2));
        short[] fullOut = Signal.Resample(new StreamingResampler(24000, 16000), full);
        short[] halfOut = Signal.Resample(new StreamingResampler(24000, 16000), half);

        int clipped = 0;
        for (int i = 0; i < fullOut.Length; i++)
        {
            int doubled = 2 * halfOut[i];
            clipped += doubled is > short.MaxValue or < short.MinValue ? 1 : 0;
            int expected = Math.Clamp(doubled, short.MinValue, short.MaxValue);
            Assert.InRange(fullOut[i], expected - 2, expected + 2);
        }

        Assert.True(clipped > 0, "the test signal never exceeded full scale");
    }

    [Fact]
    public void Reset_RestartsAsANewStream()
    {
        short[] input = Signal.Tone(700, 24000, 5000);
        var resampler = new StreamingResampler(24000, 16000);
        short[] first = Signal.Resample(resampler, input);
        Signal.Resample(resampler, input.AsSpan(0, 333));

        resampler.Reset();
        short[] again = Signal.Resample(resampler, input);

        Assert.Equal(first, again);
    }

    [Fact]
    public void ByteOverload_MatchesSampleOverload()
    {
        short[] input = Signal.Tone(1000, 24000, 10000);
        short[] expected = Signal.Resample(new StreamingResampler(24000, 16000), input);

        var bytes = new byte[input.Length * 2];
        Pcm16.Encode(input, bytes);
        var resampler = new StreamingResampler(24000, 16000);
        var outBytes = new byte[resampler.GetMaxOutputSamples(input.Length) * 2];
        int written = 0;
        for (int offset = 0; offset < bytes.Length; offset += 962)
        {
            written += resampler.Process(bytes.AsSpan(offset, Math.Min(962, bytes.Length - offset)), outBytes.AsSpan(written));
        }

        var actual = new short[written / 2];
        Pcm16.Decode(outBytes.AsSpan(0, written), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void TooSmallOutput_Throws_AndConsumesNothing()
    {
        short[] input = Signal.Tone(1000, 16000, 300);
        var resampler = new StreamingResampler(16000, 24000);
        var reference = Signal.Resample(new StreamingResampler(16000, 24000), input);

        Assert.Throws<ArgumentException>(() => resampler.Process(input, new short[resampler.GetOutputSampleCount(input.Length) - 1]));
        Assert.Throws<ArgumentException>(() => resampler.Process(new byte[3], new byte[16]));

        Assert.Equal(reference, Signal.Resample(resampler, input));
    }

    [Fact]
    public void Process_DoesNotAllocate()
    {
        var resampler = new StreamingResampler(24000, 16000);
        short[] input = Signal.Tone(1000, 24000, 480);
        var samplesOut = new short[resampler.GetMaxOutputSamples(input.Length)];
        var bytesIn = new byte[input.Length * 2];
        var bytesOut = new byte[samplesOut.Length * 2];
        for (int i = 0; i < 200; i++)
        {
            resampler.Process(input, samplesOut);
            resampler.Process(bytesIn, bytesOut);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            resampler.Process(input, samplesOut);
            resampler.Process(bytesIn, bytesOut);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FilterBank_IsSharedPerReducedRatio()
    {
        Assert.Same(PolyphaseFilterBank.Get(2, 3), PolyphaseFilterBank.Get(2, 3));

        PolyphaseFilterBank[] banks = new PolyphaseFilterBank[16];
        Parallel.For(0, banks.Length, i => banks[i] = PolyphaseFilterBank.Get(3, 2));
        Assert.All(banks, bank => Assert.Same(banks[0], bank));
    }
}
