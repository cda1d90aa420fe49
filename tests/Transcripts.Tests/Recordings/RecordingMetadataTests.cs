using Grpc.Core;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using static VoicePlatform.Transcripts.Tests.Consumers.TranscriptEvents;

namespace VoicePlatform.Transcripts.Tests.Recordings;

/// <summary>RecordingStored on the real bus into the recordings table, and GetRecording over gRPC.</summary>
[Collection(TranscriptsCollection.Name)]
public class RecordingMetadataTests(TranscriptsServiceFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static RecordingStored Stored(Guid tenant, string session, string? key = null, long durationMs = 12_340) =>
        new(Guid.NewGuid(), tenant, session, key ?? $"recordings/{tenant}/{session}/recording.wav", 44 + durationMs * 96, durationMs,
            new string('a', 64), 24_000, 2, Start.AddMinutes(1));

    [Fact]
    public async Task A_stored_recording_is_returned_to_its_tenant_with_its_metadata()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var stored = Stored(tenant, session);
        await fixture.Bus.Publish(stored);

        var info = await Poll.UntilAsync(() => TryGetRecordingAsync(tenant, session), r => r is not null, Patience);
        Assert.Equal(session, info!.SessionId);
        Assert.Equal(stored.Key, info.Key);
        Assert.Equal(stored.SizeBytes, info.SizeBytes);
        Assert.Equal(12_340, info.DurationMs);
        Assert.Equal(stored.Sha256, info.Sha256);
        Assert.Equal(24_000, info.SampleRate);
        Assert.Equal(2, info.Channels);
        Assert.Equal(stored.StoredAt.ToUnixTimeMilliseconds(), info.StoredAtUnixMs);
    }

    [Fact]
    public async Task Another_tenant_and_a_session_without_recording_get_not_found()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, session));
        await fixture.Bus.Publish(Stored(tenant, session));
        await Poll.UntilAsync(() => TryGetRecordingAsync(tenant, session), r => r is not null, Patience);

        var stranger = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetRecordingAsync(
            new GetRecordingRequest { TenantId = Guid.NewGuid().ToString(), SessionId = session }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, stranger.StatusCode);

        var bare = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, bare));
        await Poll.UntilAsync(() => TryGetSessionAsync(tenant, bare), s => s is not null, Patience);
        var none = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetRecordingAsync(
            new GetRecordingRequest { TenantId = tenant.ToString(), SessionId = bare }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, none.StatusCode);
        Assert.False((await TryGetSessionAsync(tenant, bare))!.HasRecording);
        Assert.True((await TryGetSessionAsync(tenant, session))!.HasRecording);
    }

    [Fact]
    public async Task Redelivered_and_re_announced_recordings_are_stored_once()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var stored = Stored(tenant, session);
        for (var i = 0; i < 3; i++) await fixture.Bus.Publish(stored);
        // A crashed Gateway's sweep announces the same WAV again under a new event id.
        await fixture.Bus.Publish(stored with { EventId = Guid.NewGuid(), DurationMs = 1 });
        // A resumed session's second segment is a recording of its own; the first stays the session's recording.
        await fixture.Bus.Publish(Stored(tenant, session, $"recordings/{tenant}/{session}/resumed-1/recording.wav") with { StoredAt = Start.AddMinutes(5) });

        await Poll.UntilAsync(() => CountAsync(session), n => n == 2, Patience);
        await Task.Delay(500); // any straggling duplicate has had time to land
        Assert.Equal(2, await CountAsync(session));
        var info = await TryGetRecordingAsync(tenant, session);
        Assert.Equal(stored.Key, info!.Key);
        Assert.Equal(12_340, info.DurationMs);
    }

    [Fact]
    public async Task A_resumed_sessions_segments_are_listed_in_timeline_order_with_their_start_times()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var first = Stored(tenant, session, durationMs: 20_000) with { StartedAt = Start };
        // The resumed segment is announced first (its Gateway finished first) and stored earlier: order is by start time.
        var resumed = Stored(tenant, session, $"recordings/{tenant}/{session}/resumed-1/recording.wav", 30_000) with { StartedAt = Start.AddSeconds(45), StoredAt = Start.AddSeconds(10) };
        // An announcement without a start time (an older Gateway) starts at stored_at − duration.
        var legacy = Stored(tenant, session, $"recordings/{tenant}/{session}/resumed-2/recording.wav", 5_000) with { StoredAt = Start.AddMinutes(3) };
        await fixture.Bus.Publish(resumed);
        await fixture.Bus.Publish(legacy);
        await fixture.Bus.Publish(first);

        var info = await Poll.UntilAsync(() => TryGetRecordingAsync(tenant, session), r => r?.Segments.Count == 3, Patience);
        Assert.Equal([first.Key, resumed.Key, legacy.Key], info!.Segments.Select(s => s.Key));
        Assert.Equal([Start, Start.AddSeconds(45), Start.AddMinutes(3).AddSeconds(-5)],
            info.Segments.Select(s => DateTimeOffset.FromUnixTimeMilliseconds(s.StartedAtUnixMs)));
        Assert.Equal([20_000L, 30_000L, 5_000L], info.Segments.Select(s => s.DurationMs));
        Assert.Equal(first.Key, info.Key); // the top-level fields describe the first segment
        Assert.Equal(first.SizeBytes, info.Segments[0].SizeBytes);
        Assert.Equal(first.Sha256, info.Segments[0].Sha256);
    }

    private Task<long> CountAsync(string session) =>
        fixture.CountAsync("SELECT count(*) FROM recordings WHERE session_id = @s", p => p.AddWithValue("s", session));

    private async Task<RecordingInfo?> TryGetRecordingAsync(Guid tenant, string session)
    {
        try
        {
            return await fixture.Client.GetRecordingAsync(new GetRecordingRequest { TenantId = tenant.ToString(), SessionId = session });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<SessionSummary?> TryGetSessionAsync(Guid tenant, string session)
    {
        try
        {
            return await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = tenant.ToString(), SessionId = session });
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
