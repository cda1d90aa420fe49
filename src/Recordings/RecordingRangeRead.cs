namespace VoicePlatform.Recordings;

/// <summary>Outcome of <see cref="RecordingRangeReader.OpenAsync"/>.</summary>
public enum RecordingRangeStatus
{
    /// <summary><see cref="RecordingRangeRead.Content"/> holds the bytes [Start, End].</summary>
    Ok,
    /// <summary>No such object (404).</summary>
    NotFound,
    /// <summary>The range starts at or past the end (416; send <c>Content-Range: bytes */{TotalLength}</c>).</summary>
    Unsatisfiable,
}

/// <summary>
/// A byte range of a stored recording, ready to send: for a ranged request answer 206 with
/// <c>Content-Range: bytes {Start}-{End}/{TotalLength}</c> when <see cref="IsPartial"/>, else 200.
/// Owns <see cref="Content"/>.
/// </summary>
public sealed class RecordingRangeRead : IAsyncDisposable
{
    internal RecordingRangeRead(RecordingRangeStatus status, long totalLength, long start, long length, bool isPartial, Stream? content)
    {
        Status = status;
        TotalLength = totalLength;
        Start = start;
        Length = length;
        IsPartial = isPartial;
        Content = content;
    }

    public RecordingRangeStatus Status { get; }
    public long TotalLength { get; }
    public long Start { get; }
    public long Length { get; }
    /// <summary>Inclusive last byte, as in Content-Range.</summary>
    public long End => Start + Length - 1;
    public bool IsPartial { get; }
    /// <summary>
    /// Exactly <see cref="Length"/> bytes; null unless <see cref="Status"/> is Ok. Seekable within the range for a
    /// single stored object, forward-only for a recording made of segments.
    /// </summary>
    public Stream? Content { get; }

    public ValueTask DisposeAsync() => Content?.DisposeAsync() ?? ValueTask.CompletedTask;
}
