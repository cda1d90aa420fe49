using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// Announces a completed recording and then marks it announced with an empty <c>announced</c> object beside its WAV.
/// A recording with a manifest but no marker was never announced (its Gateway crashed, or PostgreSQL stayed down through
/// every retry): the start-up sweep finds it by that, so no stored recording stays unknown to Transcripts.
/// </summary>
public static class RecordingAnnouncement
{
    public const string MarkerName = "announced";

    public static string MarkerKey(string prefix) => prefix + MarkerName;

    public static async Task AnnounceAsync(IRecordingStore store, RecordingStoredPublisher publisher, Guid tenantId, string sessionId,
        string prefix, RecordingResult recording, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(tenantId, sessionId, recording, cancellationToken);
        await store.PutAsync(MarkerKey(prefix), Stream.Null, cancellationToken);
    }
}
