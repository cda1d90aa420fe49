namespace VoicePlatform.Recordings;

/// <summary>Argument checks shared by store implementations for (offset, length) reads.</summary>
internal static class ObjectRange
{
    /// <summary>Returns the effective length; throws when [offset, offset+length) is not inside an object of <paramref name="size"/> bytes.</summary>
    public static long Check(long offset, long? length, long size)
    {
        if (offset < 0 || offset > size)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset outside an object of {size} bytes.");
        var effective = length ?? size - offset;
        if (effective < 0 || effective > size - offset)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Range past the end of an object of {size} bytes.");
        return effective;
    }
}
