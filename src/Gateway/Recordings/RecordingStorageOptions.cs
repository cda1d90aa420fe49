namespace VoicePlatform.Gateway.Recordings;

/// <summary>Configuration section <c>Gateway:Recordings</c>: where call recordings are stored.</summary>
public sealed class RecordingStorageOptions
{
    public const string SectionName = "Gateway:Recordings";

    /// <summary>
    /// Root directory of the local recording store (<c>recordings/{tenant}/{session}/…</c> beneath it). Required for
    /// recording: without it no session is recorded, whatever the tenant's setting. The Transcripts service must be given
    /// the same directory (<c>Transcripts:Recordings:Directory</c>) to delete recordings past retention.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// On start, a recording that was never announced (its Gateway crashed, or the announcement failed) and under which
    /// nothing changed for this long is assembled into a WAV and announced. Longer than any live recorder goes without
    /// storing a part (5 s parts).
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the current live recording's finalised audio is written out (as parts).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
