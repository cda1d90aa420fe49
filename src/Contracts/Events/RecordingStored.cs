namespace VoicePlatform.Contracts.Events;

/// <summary>
/// Published by the Gateway when a session's stereo call recording (left: caller, right: assistant as heard) is stored
/// as a WAV under <paramref name="Key"/> in the recording store. A session resumed on another Gateway may produce a
/// further segment with its own key. <paramref name="Sha256"/> is lowercase hex of the WAV; consumers deduplicate by key
/// (and <paramref name="EventId"/>), so a redelivery or a crash-recovery republish never doubles a recording.
/// <paramref name="StartedAt"/> is the wall-clock time of the segment's timeline zero, which places segments on the
/// session's timeline; null from Gateways that did not send it (then StoredAt − duration stands in).
/// </summary>
public sealed record RecordingStored(
    Guid EventId,
    Guid TenantId,
    string SessionId,
    string Key,
    long SizeBytes,
    long DurationMs,
    string Sha256,
    int SampleRate,
    int Channels,
    DateTimeOffset StoredAt,
    DateTimeOffset? StartedAt = null);
