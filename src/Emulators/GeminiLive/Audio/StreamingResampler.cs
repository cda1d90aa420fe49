using System.Runtime.InteropServices;

namespace VoicePlatform.Emulators.GeminiLive.Audio;

/// <summary>
/// Linear interpolation between rates with state carried across chunks, so over a stream the output
/// duration equals the input duration (16 kHz → 24 kHz gives exactly 3 samples per 2). Good enough for
/// the loopback model, which exists for latency measurements, not audio quality.
/// </summary>
internal sealed class StreamingResampler(int inputRate, int outputRate)
{
    private long _inputConsumed;   // samples received so far
    private long _outputProduced;  // samples emitted so far
    private short _previous;       // the last input sample of the previous chunk

    public int InputRate => inputRate;

    public byte[] Process(ReadOnlySpan<byte> pcm)
    {
        var input = MemoryMarshal.Cast<byte, short>(pcm);
        if (inputRate == outputRate)
        {
            return pcm.ToArray();
        }

        var chunkStart = _inputConsumed;
        var available = _inputConsumed + input.Length; // global index one past the last sample
        // Output j sits at input position j * in / out; emit while both neighbours are available.
        var maxOut = (available - 1) * outputRate / inputRate; // floor position <= available-1
        var count = (int)Math.Max(0, maxOut - _outputProduced + 1);
        var output = new byte[count * 2];
        var outSamples = MemoryMarshal.Cast<byte, short>(output.AsSpan());
        var written = 0;
        for (var j = _outputProduced; written < count; j++, written++)
        {
            var numerator = j * inputRate;
            var index = numerator / outputRate;
            var fraction = (double)(numerator % outputRate) / outputRate;
            var a = Sample(input, index, chunkStart);
            var b = fraction == 0 || index + 1 >= available ? a : Sample(input, index + 1, chunkStart);
            outSamples[written] = (short)Math.Round(a + (b - a) * fraction);
        }

        _outputProduced += count;
        _inputConsumed = available;
        if (input.Length > 0)
        {
            _previous = input[^1];
        }

        return output;
    }

    private short Sample(ReadOnlySpan<short> chunk, long globalIndex, long chunkStart) =>
        globalIndex < chunkStart ? _previous : chunk[(int)(globalIndex - chunkStart)];
}
