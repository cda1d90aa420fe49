using Grpc.Core;
using VoicePlatform.Transcripts.Sessions;

namespace VoicePlatform.Transcripts.Search;

/// <summary>Search pages by (recorded_at, segment id), newest first: the same opaque "ticks|id" shape as session cursors.</summary>
public static class SearchCursor
{
    public static string Encode(DateTimeOffset recordedAt, Guid segmentId) => SessionCursor.Encode(recordedAt, segmentId.ToString());

    public static (DateTimeOffset? RecordedAt, Guid? SegmentId) Decode(string? cursor)
    {
        var (recordedAt, id) = SessionCursor.Decode(cursor);
        if (recordedAt is null) return (null, null);
        return Guid.TryParse(id, out var segmentId)
            ? (recordedAt, segmentId)
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "Invalid cursor"));
    }
}
