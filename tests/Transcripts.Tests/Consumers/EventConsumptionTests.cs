using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using static VoicePlatform.Transcripts.Tests.Consumers.TranscriptEvents;

namespace VoicePlatform.Transcripts.Tests.Consumers;

/// <summary>The three events published on the real bus (RabbitMQ) and consumed into PostgreSQL.</summary>
[Collection(TranscriptsCollection.Name)]
public class EventConsumptionTests(TranscriptsServiceFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Started_segments_and_ended_become_a_session_with_its_ordered_transcript()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, session, arm: "arm-b"));
        // Published out of timeline order: the transcript is ordered by offset, not by arrival.
        await fixture.Bus.Publish(Segment(tenant, session, "assistant", "Hello, how can I help?", 2_000, 3_500));
        await fixture.Bus.Publish(Segment(tenant, session, "user", "Hi there", 500, 1_400));
        await fixture.Bus.Publish(Ended(tenant, session, 65_000, "client_closed"));

        var summary = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, session), s => s is { EndReason: not "", Model: not "" }, Patience);
        Assert.NotNull(summary);
        Assert.Equal("gpt-realtime-2", summary.Model);
        Assert.Equal("openai", summary.Provider);
        Assert.Equal("arm-b", summary.ExperimentArm);
        Assert.Equal("openai-realtime", summary.ClientProtocol);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), summary.StartedAtUnixMs);
        Assert.Equal(Start.AddSeconds(65).ToUnixTimeMilliseconds(), summary.EndedAtUnixMs);
        Assert.Equal(65_000, summary.DurationMs);
        Assert.Equal("client_closed", summary.EndReason);

        var transcript = await Poll.UntilAsync(() => GetTranscriptAsync(tenant, session), t => t.Segments.Count == 2, Patience);
        Assert.Equal(["user", "assistant"], transcript.Segments.Select(s => s.Role));
        Assert.Equal(["Hi there", "Hello, how can I help?"], transcript.Segments.Select(s => s.Text));
        Assert.Equal(500, transcript.Segments[0].StartMs);
        Assert.Equal(1_400, transcript.Segments[0].EndMs);
    }

    [Fact]
    public async Task Redelivered_events_are_stored_once()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        var started = Started(tenant, session);
        var segment = Segment(tenant, session, "user", "Say it once", 0, 900);
        var ended = Ended(tenant, session);
        // Each event delivered three times, as an at-least-once publisher may after a lost acknowledgement.
        for (var i = 0; i < 3; i++)
        {
            await fixture.Bus.Publish(started);
            await fixture.Bus.Publish(segment);
            await fixture.Bus.Publish(ended);
        }
        // A late duplicate of SessionStarted with other data must not overwrite what was applied.
        await fixture.Bus.Publish(started with { EventId = Guid.NewGuid(), Model = "changed" });
        var marker = Segment(tenant, session, "assistant", "marker", 1_000, 1_100);
        await fixture.Bus.Publish(marker);

        await Poll.UntilAsync(() => SegmentCountAsync(session), n => n == 2, Patience);
        await Task.Delay(500); // any straggling duplicate has had time to land
        Assert.Equal(2, await SegmentCountAsync(session));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM sessions WHERE session_id = @s", p => p.AddWithValue("s", session)));
        var summary = await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = tenant.ToString(), SessionId = session });
        Assert.Equal("gpt-realtime-2", summary.Model);
        Assert.Equal("client_closed", summary.EndReason);
    }

    [Fact]
    public async Task A_later_end_of_a_resumed_session_replaces_the_first_and_a_stale_one_does_not()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, session));
        var dropped = Ended(tenant, session, 10_000, "client_closed");
        await fixture.Bus.Publish(dropped);
        await Poll.UntilAsync(() => TryGetSessionAsync(tenant, session), s => s?.EndReason == "client_closed", Patience);

        // The client resumed and the session ended for good later.
        await fixture.Bus.Publish(Ended(tenant, session, 90_000, "provider_closed"));
        var final = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, session), s => s?.EndReason == "provider_closed", Patience);
        Assert.Equal(90_000, final!.DurationMs);

        // A redelivery of the first end changes nothing.
        await fixture.Bus.Publish(dropped);
        await fixture.Bus.Publish(Segment(tenant, session, "user", "marker", 0, 10));
        await Poll.UntilAsync(() => SegmentCountAsync(session), n => n == 1, Patience);
        await Task.Delay(500);
        var after = await TryGetSessionAsync(tenant, session);
        Assert.Equal("provider_closed", after!.EndReason);
        Assert.Equal(90_000, after.DurationMs);
    }

    [Fact]
    public async Task Segments_and_end_arriving_before_SessionStarted_are_kept_and_completed_later()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Segment(tenant, session, "user", "Early words", 100, 800));
        await fixture.Bus.Publish(Ended(tenant, session, 30_000, "provider_error"));

        var early = await Poll.UntilAsync(() => GetTranscriptOrNullAsync(tenant, session), t => t?.Segments.Count == 1, Patience);
        Assert.Equal("Early words", Assert.Single(early!.Segments).Text);
        var ended = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, session), s => s is not null, Patience);
        Assert.Equal("provider_error", ended!.EndReason);
        Assert.Equal("", ended.Model); // not known until SessionStarted

        await fixture.Bus.Publish(Started(tenant, session, model: "gemini-3.1-flash-live", provider: "google"));
        var complete = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, session), s => s?.Model != "", Patience);
        Assert.Equal("gemini-3.1-flash-live", complete!.Model);
        Assert.Equal("google", complete.Provider);
        Assert.Equal("provider_error", complete.EndReason);
        Assert.Equal(30_000, complete.DurationMs);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), complete.StartedAtUnixMs);
    }

    [Fact]
    public async Task The_route_experiment_id_and_arm_of_SessionStarted_are_stored_whichever_event_comes_first()
    {
        var tenant = Guid.NewGuid();
        var startedFirst = $"sess_{Guid.NewGuid():N}";
        var endedFirst = $"sess_{Guid.NewGuid():N}";
        await fixture.Bus.Publish(Started(tenant, startedFirst, arm: "control", route: "support-voice", experimentId: "exp_0123456789abcdef01234567"));
        await fixture.Bus.Publish(Ended(tenant, endedFirst, 20_000));
        await Poll.UntilAsync(() => TryGetSessionAsync(tenant, endedFirst), s => s is not null, Patience);
        await fixture.Bus.Publish(Started(tenant, endedFirst, arm: "holdout", route: "support-voice", experimentId: "exp_0123456789abcdef01234567"));

        var first = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, startedFirst), s => s is not null, Patience);
        Assert.Equal(("support-voice", "exp_0123456789abcdef01234567", "control"), (first!.Route, first.ExperimentId, first.ExperimentArm));
        var completed = await Poll.UntilAsync(() => TryGetSessionAsync(tenant, endedFirst), s => s?.Model != "", Patience);
        Assert.Equal(("support-voice", "exp_0123456789abcdef01234567", "holdout"), (completed!.Route, completed.ExperimentId, completed.ExperimentArm));
        Assert.Equal("client_closed", completed.EndReason);
    }

    [Fact]
    public async Task A_consumer_failure_mid_batch_is_retried_and_loses_or_doubles_nothing()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        // A real failure inside the consumer's write: the database rejects the first insert of the "crash" segment
        // (a sequence is not rolled back, so the second attempt passes). MassTransit's configured retry redelivers it.
        var sequence = $"crash_{Guid.NewGuid():N}";
        await fixture.ExecuteAsync($"""
            CREATE SEQUENCE {sequence};
            CREATE FUNCTION {sequence}_fn() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.session_id = '{session}' AND NEW.text = 'crash here' AND nextval('{sequence}') = 1 THEN
                    RAISE EXCEPTION 'simulated consumer crash';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {sequence}_trg BEFORE INSERT ON segments FOR EACH ROW EXECUTE FUNCTION {sequence}_fn();
            """);
        try
        {
            var batch = Enumerable.Range(0, 10)
                .Select(i => Segment(tenant, session, i % 2 == 0 ? "user" : "assistant", i == 4 ? "crash here" : $"line {i}", i * 1_000, i * 1_000 + 800))
                .ToList();
            foreach (var segment in batch) await fixture.Bus.Publish(segment);

            await Poll.UntilAsync(() => SegmentCountAsync(session), n => n == 10, Patience);
            await Task.Delay(500);
            Assert.Equal(10, await SegmentCountAsync(session));
            Assert.Equal(2, await fixture.CountAsync($"SELECT last_value FROM {sequence}", _ => { })); // it did fail once, then succeeded
            var transcript = await GetTranscriptAsync(tenant, session);
            Assert.Equal(batch.Select(s => s.SegmentId.ToString()), transcript.Segments.Select(s => s.SegmentId));
        }
        finally
        {
            await fixture.ExecuteAsync($"DROP TRIGGER {sequence}_trg ON segments; DROP FUNCTION {sequence}_fn(); DROP SEQUENCE {sequence};");
        }
    }

    private Task<long> SegmentCountAsync(string session) =>
        fixture.CountAsync("SELECT count(*) FROM segments WHERE session_id = @s", p => p.AddWithValue("s", session));

    private async Task<SessionSummary?> TryGetSessionAsync(Guid tenant, string session)
    {
        try
        {
            return await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = tenant.ToString(), SessionId = session });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<GetTranscriptResponse?> GetTranscriptOrNullAsync(Guid tenant, string session)
    {
        try
        {
            return await GetTranscriptAsync(tenant, session);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<GetTranscriptResponse> GetTranscriptAsync(Guid tenant, string session) =>
        await fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = tenant.ToString(), SessionId = session });
}
