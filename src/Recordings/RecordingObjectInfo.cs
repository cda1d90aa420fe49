namespace VoicePlatform.Recordings;

/// <summary>One object in an <see cref="IRecordingStore"/> listing.</summary>
public sealed record RecordingObjectInfo(string Key, long Size);
