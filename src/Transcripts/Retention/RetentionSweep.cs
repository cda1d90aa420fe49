namespace VoicePlatform.Transcripts.Retention;

/// <summary>What one retention run deleted.</summary>
public sealed record RetentionSweep(long Sessions, long Segments, long Recordings = 0);
