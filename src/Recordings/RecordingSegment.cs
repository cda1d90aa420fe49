namespace VoicePlatform.Recordings;

/// <summary>
/// One stored WAV of a session's recording. A session resumed on another connection (or Gateway) is recorded in more
/// than one segment; <paramref name="StartedAt"/> is the wall-clock time of the segment's timeline zero, which places
/// it on the session's timeline.
/// </summary>
public sealed record RecordingSegment(string Key, DateTimeOffset StartedAt);
