namespace VoicePlatform.Recordings;

/// <summary>
/// A stored recording: the WAV object's key, its size in bytes, audio duration and lowercase hex SHA-256, and when its
/// timeline started (null when the recorder was not told).
/// </summary>
public sealed record RecordingResult(string Key, long SizeBytes, TimeSpan Duration, string Sha256, int SampleRate, int Channels,
    DateTimeOffset? StartedAt = null);
