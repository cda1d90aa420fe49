using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>Configuration section <c>Gateway:Recordings</c>: where call recordings are stored.</summary>
public sealed class RecordingStorageOptions
{
    public const string SectionName = "Gateway:Recordings";

    /// <summary>
    /// Root directory of the local recording store (<c>recordings/{tenant}/{session}/…</c> beneath it). A store — this
    /// or <see cref="S3"/> — is required for recording: without one no session is recorded, whatever the tenant's
    /// setting. The Transcripts service must be given the same store (<c>Transcripts:Recordings:Directory</c> or
    /// <c>Transcripts:Recordings:S3</c>) to delete recordings past retention. Every Gateway of a deployment must share
    /// it (a resumed session's segments are read back by whichever Gateway serves the download).
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>
    /// An S3-compatible bucket (<c>Gateway:Recordings:S3:Bucket</c>, <c>ServiceUrl</c>, <c>Region</c>,
    /// <c>AccessKey</c>, <c>SecretKey</c>, <c>ForcePathStyle</c>, <c>KeyPrefix</c>); used instead of
    /// <see cref="Directory"/> when a bucket is named. The bucket must exist.
    /// </summary>
    public S3RecordingStoreOptions? S3 { get; set; }

    /// <summary>
    /// On start, a recording that was never announced (its Gateway crashed, or the announcement failed) and under which
    /// nothing changed for this long is assembled into a WAV and announced. Longer than any live recorder goes without
    /// storing a part (5 s parts).
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the current live recording's finalised audio is written out (as parts).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
