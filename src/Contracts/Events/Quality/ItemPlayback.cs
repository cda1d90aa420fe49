namespace VoicePlatform.Contracts.Events.Quality;

/// <summary>
/// When an assistant item's audio played to the client, on the session timeline (milliseconds since the client's
/// socket opened): from its first sample to its last, cut where the client truncated it (barge-in).
/// </summary>
public sealed record ItemPlayback(string ItemId, long StartMs, long EndMs, bool Truncated);
