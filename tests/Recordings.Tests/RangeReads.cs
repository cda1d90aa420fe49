namespace VoicePlatform.Recordings.Tests;

/// <summary>Reading a <see cref="RecordingRangeRead"/> whole, checking it is Ok and exactly as long as it says.</summary>
internal static class RangeReads
{
    public static async Task<byte[]> BytesAsync(RecordingRangeRead read)
    {
        Assert.Equal(RecordingRangeStatus.Ok, read.Status);
        var copy = new MemoryStream();
        await read.Content!.CopyToAsync(copy);
        Assert.Equal(read.Length, copy.Length);
        return copy.ToArray();
    }
}
