namespace VoicePlatform.Recordings;

/// <summary>A run of bytes of a <see cref="SegmentedWavStream"/>: in-memory bytes, silence, or a stored object's range.</summary>
internal readonly record struct SegmentedWavPiece(long Length, byte[]? Memory, string? Key, long Offset)
{
    public static SegmentedWavPiece Bytes(byte[] bytes) => new(bytes.Length, bytes, null, 0);
    public static SegmentedWavPiece Silence(long length) => new(length, null, null, 0);
    public static SegmentedWavPiece Stored(string key, long offset, long length) => new(length, null, key, offset);
}
