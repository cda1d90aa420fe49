using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace VoicePlatform.Bench.RelayBenchmark;

/// <summary>
/// 20 ms of 24 kHz PCM16 mono (480 samples, 960 bytes) whose first 12 bytes (6 samples) carry a header:
/// magic "VB", session id, sequence number, and a 16-bit check. 12 bytes are exactly 16 base64 characters, so a
/// session's <c>input_audio_buffer.append</c> message is built once and only those 16 characters change per frame.
/// The rest is a quiet 300 Hz tone, identical in every frame.
/// </summary>
public static class AudioFrames
{
    public const int SampleRate = 24_000;
    public const int FrameMs = 20;
    public const int FrameBytes = SampleRate * FrameMs / 1000 * 2; // 960
    public const int HeaderBytes = 12;
    public const int HeaderBase64Chars = HeaderBytes / 3 * 4; // 16
    private const ushort Magic = 0x4256; // "VB" little-endian

    private static readonly byte[] Prefix = "{\"type\":\"input_audio_buffer.append\",\"audio\":\""u8.ToArray();
    private static readonly byte[] Suffix = "\"}"u8.ToArray();
    private static readonly byte[] TemplateMessage = BuildTemplate();

    /// <summary>Offset of the header's base64 text inside an append message.</summary>
    public static int HeaderOffset => Prefix.Length;

    public static int MessageLength => TemplateMessage.Length;

    /// <summary>A fresh copy of the append message for one session (its header is rewritten per frame).</summary>
    public static byte[] NewMessage() => (byte[])TemplateMessage.Clone();

    /// <summary>Writes the header of frame <paramref name="seq"/> of session <paramref name="sessionId"/> into a message.</summary>
    public static void WriteHeader(byte[] message, uint sessionId, uint seq)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        EncodeHeader(header, sessionId, seq);
        Base64.EncodeToUtf8(header, message.AsSpan(HeaderOffset, HeaderBase64Chars), out _, out _);
    }

    public static void EncodeHeader(Span<byte> header, uint sessionId, uint seq)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[2..], sessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[6..], seq);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], Check(sessionId, seq));
    }

    /// <summary>Reads a header back; false if the bytes are not an intact header (audio altered on the way).</summary>
    public static bool TryDecodeHeader(ReadOnlySpan<byte> header, out uint sessionId, out uint seq)
    {
        sessionId = BinaryPrimitives.ReadUInt32LittleEndian(header[2..]);
        seq = BinaryPrimitives.ReadUInt32LittleEndian(header[6..]);
        return BinaryPrimitives.ReadUInt16LittleEndian(header) == Magic
            && BinaryPrimitives.ReadUInt16LittleEndian(header[10..]) == Check(sessionId, seq);
    }

    private static ushort Check(uint sessionId, uint seq)
    {
        var h = (sessionId * 0x9E3779B1u) ^ (seq * 0x85EBCA77u) ^ 0xC2B2AE3Du;
        return (ushort)(h ^ (h >> 16));
    }

    private static byte[] BuildTemplate()
    {
        var pcm = new byte[FrameBytes];
        for (var i = HeaderBytes / 2; i < FrameBytes / 2; i++)
        {
            // 300 Hz at about -30 dBFS; 20 ms holds exactly 6 periods, so frames join without a click.
            var sample = (short)Math.Round(1000 * Math.Sin(2 * Math.PI * 300 * i / SampleRate));
            BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), sample);
        }
        EncodeHeader(pcm, 0, 0);
        var base64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(pcm));
        return [.. Prefix, .. base64, .. Suffix];
    }
}
