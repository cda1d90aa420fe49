namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Router for every final user transcription and every final assistant transcript.
/// <paramref name="Role"/> is <c>user</c> or <c>assistant</c>; offsets are milliseconds on the session's timeline.
/// <paramref name="TruncatedByBargeIn"/> marks assistant text the user interrupted (and so never heard in full): it is
/// stored, but never presented as said without that mark. <paramref name="SegmentId"/> makes consumers idempotent.
/// An assistant segment names the response request it answers and the Router attempt that produced it
/// (<paramref name="RequestSeq"/>, <paramref name="Attempt"/>; see <see cref="ResponsesDiscarded"/>); null for user
/// segments, responses the server started, and sessions without continuity.
/// </summary>
public sealed record TranscriptSegmentRecorded(
    Guid SegmentId,
    Guid TenantId,
    string SessionId,
    string ItemId,
    string Role,
    string Text,
    long StartOffsetMs,
    long EndOffsetMs,
    string Model,
    bool TruncatedByBargeIn,
    DateTimeOffset RecordedAt,
    long? RequestSeq = null,
    long? Attempt = null);
