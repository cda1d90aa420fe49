namespace VoicePlatform.Recordings;

/// <summary>
/// A flat object store for recording bytes: a local directory (<see cref="LocalDirectoryRecordingStore"/>) or an
/// S3-compatible bucket (<see cref="S3RecordingStore"/>).
/// Keys are '/'-separated relative paths such as <c>recordings/{tenant}/{session}/recording.wav</c>;
/// see <see cref="RecordingObjectKey"/> for what is accepted.
/// </summary>
public interface IRecordingStore
{
    /// <summary>
    /// Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>, replacing any existing object.
    /// Readers never observe a partially written object: it appears whole or not at all.
    /// </summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the object for reading from byte <paramref name="offset"/>, for <paramref name="length"/> bytes
    /// (to the end when null). Returns null when the object does not exist. Throws
    /// <see cref="ArgumentOutOfRangeException"/> when the range does not lie inside the object.
    /// </summary>
    Task<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    /// <summary>The object's size in bytes, or null when it does not exist.</summary>
    Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; false when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Objects whose key starts with <paramref name="prefix"/> (a plain string prefix, as in S3), in ordinal key order.
    /// </summary>
    IAsyncEnumerable<RecordingObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
