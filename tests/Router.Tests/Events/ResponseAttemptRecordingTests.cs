using System.Text;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>
/// A response's records (assistant segment, usage) name the client request it answers and the attempt (lease fencing
/// token) that produced it; a Router that is asked requests again publishes <see cref="ResponsesDiscarded"/> for them,
/// keeping its own attempt. What arrives on the real RabbitMQ through the spool.
/// </summary>
public class ResponseAttemptRecordingTests
{
    private static ValueTask Send(ISessionEventSink sink, string json) => sink.EventAsync(CanonicalEvent.Read(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    private const string Usage = """{"total_tokens":3,"input_tokens":1,"output_tokens":2,"output_token_details":{"text_tokens":0,"audio_tokens":2}}""";

    [Fact]
    public async Task Records_name_the_request_and_attempt_and_reasked_requests_are_discarded_for_earlier_attempts()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        var session = $"sess_{Guid.NewGuid():N}";
        var requests = new ResponseRequests();
        // As in a session: the recorder sits before the gRPC sink, which matches each response.created to its request.
        var recorder = new SessionEventRecorder(new RequestMatchingSink(requests), spool,
            new SessionEventContext(Guid.NewGuid(), session, "gpt-realtime-2", "openai", "openai-realtime", DateTimeOffset.UtcNow, 0));
        recorder.AnswerAs(new ResponseAttempt(5, requests));

        // The client also saw a server-started response cut by the Router change (no request to re-ask it by).
        recorder.ResponsesVoided([12, 9], [new CutResponse { ResponseId = "resp_cut", ItemIds = { "item_cut" } }]);
        requests.Requested(12, "evt_client");
        await Send(recorder, """{"type":"response.created","event_id":"e1","response":{"id":"resp_1"}}""");
        await Send(recorder, """{"type":"response.output_audio_transcript.done","event_id":"e2","response_id":"resp_1","item_id":"item_a1","transcript":"Asked."}""");
        await Send(recorder, $$$"""{"type":"response.done","event_id":"e3","response":{"id":"resp_1","status":"completed","usage":{{{Usage}}}}}""");
        // One the server started (no request pending): it names no request.
        await Send(recorder, """{"type":"response.created","event_id":"e4","response":{"id":"resp_2"}}""");
        await Send(recorder, """{"type":"response.output_audio_transcript.done","event_id":"e5","response_id":"resp_2","item_id":"item_a2","transcript":"Unasked."}""");
        await Send(recorder, $$$"""{"type":"response.done","event_id":"e6","response":{"id":"resp_2","status":"completed","usage":{{{Usage}}}}}""");

        var events = await harness.Published.WaitForAsync(session, 5);
        var discarded = Assert.Single(events.OfType<ResponsesDiscarded>());
        Assert.Equal([9L, 12L], discarded.RequestSeqs);
        Assert.Equal(5L, discarded.KeepAttempt);
        Assert.Equal(["resp_cut"], discarded.ResponseIds!);
        Assert.Equal(["item_cut"], discarded.ItemIds!);
        Assert.Equal(EventIds.For(session, "discarded", "5", "9,12", "resp_cut"), discarded.EventId); // the same on a redelivery
        var segments = events.OfType<TranscriptSegmentRecorded>().OrderBy(s => s.ItemId, StringComparer.Ordinal).ToList();
        Assert.Equal([("item_a1", 12L, 5L), ("item_a2", (long?)null, 5L)], segments.Select(s => (s.ItemId, s.RequestSeq, s.Attempt)));
        var usages = events.OfType<UsageRecorded>().OrderBy(u => u.RequestSeq ?? long.MaxValue).ToList();
        Assert.Equal([(12L, 5L), ((long?)null, 5L)], usages.Select(u => (u.RequestSeq, u.Attempt)));
        Assert.Equal(EventIds.For(session, "resp_1", "usage"), usages[0].EventId); // ids stay derived from content
    }

    [Fact]
    public async Task Without_an_attempt_nothing_is_discarded_and_records_name_none()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        var session = $"sess_{Guid.NewGuid():N}";
        var recorder = new SessionEventRecorder(new NullSink(), spool,
            new SessionEventContext(Guid.NewGuid(), session, "gpt-realtime-2", "openai", "openai-realtime", DateTimeOffset.UtcNow, 0));

        recorder.ResponsesVoided([3], [new CutResponse { ResponseId = "resp_0" }]); // no lease (Redis was down at start): nothing to keep, nothing said
        await Send(recorder, $$$"""{"type":"response.done","event_id":"e1","response":{"id":"resp_1","status":"completed","usage":{{{Usage}}}}}""");

        var usage = Assert.IsType<UsageRecorded>(Assert.Single(await harness.Published.WaitForAsync(session, 1)));
        Assert.Equal(((long?)null, (long?)null), (usage.RequestSeq, usage.Attempt));
        Assert.DoesNotContain(harness.Published.Of(session), e => e is ResponsesDiscarded);
    }

    /// <summary>What the gRPC sink does with server events that matters here: response.created answers the oldest request.</summary>
    private sealed class RequestMatchingSink(ResponseRequests requests) : ISessionEventSink
    {
        public ValueTask AudioDeltaAsync(OutputAudioRef audio, ReadOnlyMemory<byte> pcm16, int sampleRate, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public ValueTask EventAsync(CanonicalEvent serverEvent, CancellationToken cancellationToken)
        {
            requests.Observe(serverEvent);
            return ValueTask.CompletedTask;
        }

        public ValueTask EndAsync(int closeStatus, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
