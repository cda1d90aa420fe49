namespace VoicePlatform.Transcripts.Segments;

/// <summary>What recording a segment did.</summary>
public enum SegmentOutcome
{
    Stored,
    /// <summary>Already stored (a redelivery).</summary>
    Duplicate,
    /// <summary>Not stored: its request was answered again by a later Router attempt (a tombstone names it).</summary>
    Discarded,
}
