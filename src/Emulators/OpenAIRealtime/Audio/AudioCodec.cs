using System.Buffers;
using System.Runtime.InteropServices;

namespace VoicePlatform.Emulators.OpenAIRealtime.Audio;

/// <summary>PCM16 ⇄ wire bytes for the three formats, plus a crude 24k⇄8k conversion for the loopback path.</summary>
internal static class AudioCodec
{
    /// <summary>Encodes native-rate samples into <paramref name="destination"/>; returns bytes written.</summary>
    public static int Encode(AudioFormat format, ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (format.Encoding == AudioEncoding.Pcm16)
        {
            var bytes = MemoryMarshal.AsBytes(samples);
            bytes.CopyTo(destination);
            return bytes.Length;
        }
        G711.Encode(format.Encoding, samples, destination);
        return samples.Length;
    }

    /// <summary>Decodes whole samples; returns samples written. PCM16 needs an even byte count.</summary>
    public static int Decode(AudioFormat format, ReadOnlySpan<byte> bytes, Span<short> destination)
    {
        if (format.Encoding == AudioEncoding.Pcm16)
        {
            var samples = MemoryMarshal.Cast<byte, short>(bytes);
            samples.CopyTo(destination);
            return samples.Length;
        }
        G711.Decode(format.Encoding, bytes, destination);
        return bytes.Length;
    }

    /// <summary>
    /// Converts wire audio between formats (loopback with differing input/output formats). Rate changes use
    /// sample repetition / 3-tap averaging: good enough for an emulator, never used on the platform's path.
    /// </summary>
    public static byte[] Transcode(AudioFormat from, AudioFormat to, ReadOnlySpan<byte> input)
    {
        var inSamples = input.Length / from.BytesPerSample;
        var decoded = ArrayPool<short>.Shared.Rent(Math.Max(1, inSamples));
        var converted = ArrayPool<short>.Shared.Rent(Math.Max(1, inSamples * 3));
        try
        {
            Decode(from, input[..(inSamples * from.BytesPerSample)], decoded);
            int outSamples;
            if (from.SampleRate == to.SampleRate)
            {
                decoded.AsSpan(0, inSamples).CopyTo(converted);
                outSamples = inSamples;
            }
            else if (from.SampleRate < to.SampleRate)
            {
                for (var i = 0; i < inSamples; i++)
                {
                    converted[3 * i] = converted[3 * i + 1] = converted[3 * i + 2] = decoded[i];
                }
                outSamples = inSamples * 3;
            }
            else
            {
                outSamples = inSamples / 3;
                for (var i = 0; i < outSamples; i++)
                {
                    converted[i] = (short)((decoded[3 * i] + decoded[3 * i + 1] + decoded[3 * i + 2]) / 3);
                }
            }
            var output = new byte[outSamples * to.BytesPerSample];
            Encode(to, converted.AsSpan(0, outSamples), output);
            return output;
        }
        finally
        {
            ArrayPool<short>.Shared.Return(decoded);
            ArrayPool<short>.Shared.Return(converted);
        }
    }
}
