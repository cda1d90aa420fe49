namespace VoicePlatform.Recordings;

/// <summary>A stored recording: the WAV object's key, its size in bytes, audio duration and lowercase hex SHA-256.</summary>
public sealed record RecordingResult(string Key, long SizeBytes, TimeSpan Duration, string Sha256, int SampleRate, int Channels);
