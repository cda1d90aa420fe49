using System.Buffers.Binary;
using System.Text;

namespace VoicePlatform.Console.Tests.Sessions;

/// <summary>A RIFF/WAVE file's duration from its fmt and data chunks.</summary>
public static class WavHeader
{
    public static double DurationSeconds(byte[] wav)
    {
        int channels = 0, sampleRate = 0, bits = 0;
        for (var offset = 12; offset + 8 <= wav.Length;)
        {
            var id = Encoding.ASCII.GetString(wav, offset, 4);
            var size = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(offset + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(offset + 10));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(offset + 12));
                bits = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(offset + 22));
            }
            if (id == "data") return (double)Math.Min(size, wav.Length - offset - 8) / (sampleRate * channels * bits / 8);
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException("no data chunk");
    }
}
