using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VoicePlatform.Audio;

/// <summary>
/// Little-endian PCM16 bytes ⇄ samples, with the same span shape as <see cref="MuLaw"/> and <see cref="ALaw"/>.
/// On little-endian hosts this is a plain copy; big-endian hosts get a byte swap.
/// </summary>
public static class Pcm16
{
    /// <summary>Decodes whole little-endian samples. Returns the number of samples written.</summary>
    /// <exception cref="ArgumentException">Odd byte count, or <paramref name="samples"/> too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    public static int Decode(ReadOnlySpan<byte> littleEndian, Span<short> samples)
    {
        if ((littleEndian.Length & 1) != 0)
        {
            throw new ArgumentException("PCM16 input must hold whole 2-byte samples.", nameof(littleEndian));
        }

        int count = littleEndian.Length / 2;
        if (samples.Length < count)
        {
            throw new ArgumentException($"Destination needs {count} samples but holds {samples.Length}.", nameof(samples));
        }

        ReadOnlySpan<short> source = MemoryMarshal.Cast<byte, short>(littleEndian);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(samples);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(source, samples[..count]);
        }

        return count;
    }

    /// <summary>Encodes samples as little-endian bytes. Returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="littleEndian"/> too short.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per-sample kernel: fully optimized at once, not left at tier 0 while a busy process defers tier-up
    public static int Encode(ReadOnlySpan<short> samples, Span<byte> littleEndian)
    {
        int byteCount = samples.Length * 2;
        if (littleEndian.Length < byteCount)
        {
            throw new ArgumentException($"Destination needs {byteCount} bytes but holds {littleEndian.Length}.", nameof(littleEndian));
        }

        Span<short> destination = MemoryMarshal.Cast<byte, short>(littleEndian[..byteCount]);
        if (BitConverter.IsLittleEndian)
        {
            samples.CopyTo(destination);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(samples, destination);
        }

        return byteCount;
    }
}
