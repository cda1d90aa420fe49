namespace VoicePlatform.Recordings;

/// <summary>
/// The recording store a service is configured with: an S3-compatible bucket when one is named, else a local
/// directory, else none (nothing is recorded). The Gateway writes and serves recordings, Transcripts deletes them past
/// retention, so both must be given the same store.
/// </summary>
public static class RecordingStoreSelection
{
    public static IRecordingStore? Create(string? directory, S3RecordingStoreOptions? s3)
    {
        if (s3 is { Bucket: { Length: > 0 } })
            return new S3RecordingStore(s3);
        return string.IsNullOrWhiteSpace(directory) ? null : new LocalDirectoryRecordingStore(directory);
    }
}
