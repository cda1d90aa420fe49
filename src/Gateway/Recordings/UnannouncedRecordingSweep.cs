using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// On Gateway start, finds recordings that were never announced (a manifest but no <see cref="RecordingAnnouncement"/>
/// marker): those whose Gateway died mid-session, and completed ones whose announcement failed. Each is assembled into a
/// WAV from what was stored (<see cref="RecordingAssembler"/>; idempotent for a completed one) and announced. Live
/// recordings of other replicas share the store, so a recording is taken only if nothing under it changed for
/// <see cref="RecordingStorageOptions.AbandonedAfter"/> (a live recorder stores a part every few seconds and announces
/// right after completing). Several replicas sweeping at once is harmless: Transcripts deduplicates by key.
/// </summary>
public sealed class UnannouncedRecordingSweep(RecordingStorage storage, RecordingStoredPublisher publisher, ILogger<UnannouncedRecordingSweep> logger)
    : BackgroundService
{
    private const string Root = "recordings/";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Store is not { } store) return;
        try
        {
            var before = await UnannouncedAsync(store, stoppingToken);
            if (before.Count == 0) return;
            await Task.Delay(storage.Options.AbandonedAfter, stoppingToken);
            var after = await UnannouncedAsync(store, stoppingToken);
            foreach (var (prefix, snapshot) in after)
            {
                if (!before.TryGetValue(prefix, out var earlier) || earlier != snapshot) continue; // still being written
                await RecoverAsync(store, prefix, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sweeping unannounced recordings failed; they are retried on the next start");
        }
    }

    /// <summary>Assembles (if needed) and announces the recording under <paramref name="prefix"/> (<c>recordings/{tenant}/{session}/[segment/]</c>).</summary>
    public async Task RecoverAsync(IRecordingStore store, string prefix, CancellationToken cancellationToken)
    {
        var segments = prefix.Split('/');
        if (segments.Length < 4 || !Guid.TryParse(segments[1], out var tenantId)) return;
        var result = await RecordingAssembler.AssembleAsync(store, prefix, cancellationToken: cancellationToken);
        if (result is null) return;
        logger.LogInformation("Announcing the recording {Key} ({Duration}) its Gateway left unannounced", result.Key, result.Duration);
        await RecordingAnnouncement.AnnounceAsync(store, publisher, tenantId, segments[2], prefix, result, cancellationToken);
    }

    /// <summary>Prefix → a fingerprint of its objects (count and total size), for prefixes with a manifest and no announcement marker.</summary>
    public static async Task<Dictionary<string, (int Objects, long Bytes)>> UnannouncedAsync(IRecordingStore store, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, (int Objects, long Bytes)>(StringComparer.Ordinal);
        var manifests = new HashSet<string>(StringComparer.Ordinal);
        var announced = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in store.ListAsync(Root, cancellationToken))
        {
            var prefix = item.Key[..(item.Key.LastIndexOf('/') + 1)];
            objects[prefix] = objects.TryGetValue(prefix, out var seen) ? (seen.Objects + 1, seen.Bytes + item.Size) : (1, item.Size);
            var name = item.Key[prefix.Length..];
            if (name == RecordingLayout.ManifestName) manifests.Add(prefix);
            else if (name == RecordingAnnouncement.MarkerName) announced.Add(prefix);
        }
        return manifests.Where(p => !announced.Contains(p)).ToDictionary(p => p, p => objects[p], StringComparer.Ordinal);
    }
}
