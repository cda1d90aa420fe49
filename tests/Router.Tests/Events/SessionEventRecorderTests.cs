using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.ModelCatalog;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Events;
using VoicePlatform.Router.Events;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Events;

/// <summary>
/// Canonical server events (shapes as the OpenAI emulator and the Gemini connector emit them) through the recorder,
/// and what arrives on the real RabbitMQ through the spool.
/// </summary>
public class SessionEventRecorderTests
{
    private static ValueTask Send(ISessionEventSink sink, string json) => sink.EventAsync(CanonicalEvent.Read(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    private static SessionEventContext Context(string session) =>
        new(Guid.NewGuid(), session, "gpt-realtime-2", "openai", "openai-realtime", DateTimeOffset.UtcNow, 0);

    private const string Usage = """
        {"total_tokens":300,"input_tokens":200,"output_tokens":100,
         "input_token_details":{"text_tokens":50,"audio_tokens":150,"image_tokens":0,"cached_tokens":70,
           "cached_tokens_details":{"text_tokens":40,"audio_tokens":30,"image_tokens":0}},
         "output_token_details":{"text_tokens":20,"audio_tokens":80}}
        """;

    private static string DoneWithUsage(string eventId, string responseId, string status) =>
        $"{{\"type\":\"response.done\",\"event_id\":\"{eventId}\",\"response\":{{\"id\":\"{responseId}\",\"status\":\"{status}\",\"usage\":{Usage}}}}}";

    [Fact]
    public async Task A_conversation_publishes_start_segments_usage_and_end_in_order()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        var session = $"sess_{Guid.NewGuid():N}";
        var context = Context(session);
        var inner = new NullSink();
        var time = new FakeTimeProvider();
        var recorder = new SessionEventRecorder(inner, spool, context, time);

        recorder.SessionStarted(new CatalogModel { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime" },
            new SessionRouting("support-voice", "exp_1", "control", "gpt-realtime-2"));
        await Send(recorder, """{"type":"input_audio_buffer.speech_started","event_id":"e1","audio_start_ms":120,"item_id":"item_u1"}""");
        await Send(recorder, """{"type":"input_audio_buffer.speech_stopped","event_id":"e2","audio_end_ms":1480,"item_id":"item_u1"}""");
        await Send(recorder, """{"type":"response.created","event_id":"e3","response":{"id":"resp_1","status":"in_progress"}}""");
        await recorder.AudioDeltaAsync(new OutputAudioRef("resp_1", "item_a1", 0, 0), new byte[480], 24000, CancellationToken.None);
        await Send(recorder, """{"type":"conversation.item.input_audio_transcription.completed","event_id":"e4","item_id":"item_u1","content_index":0,"transcript":"What is the weather?"}""");
        await Send(recorder, """{"type":"response.output_audio_transcript.done","event_id":"e5","response_id":"resp_1","item_id":"item_a1","output_index":0,"content_index":0,"transcript":"It is sunny."}""");
        time.Advance(TimeSpan.FromMilliseconds(20));
        await Send(recorder, DoneWithUsage("e6", "resp_1", "completed"));
        recorder.SessionEnded("client_closed");

        // RabbitMQ keeps no order across message types (one exchange each, consumed concurrently), and the consumers do
        // not need one: compare in a canonical order.
        var events = (await harness.Published.WaitForAsync(session, 5))
            .OrderBy(e => e switch { SessionStarted => 0, TranscriptSegmentRecorded => 1, UsageRecorded => 2, _ => 3 })
            .ThenBy(e => e is TranscriptSegmentRecorded { Role: "user" } ? 0 : 1)
            .ToList();
        Assert.Equal(6, inner.Events); // every JSON event passed on
        Assert.Collection(events,
            e => Assert.Equal(("gpt-realtime-2", "openai", "openai-realtime", "support-voice", "exp_1", "control"),
                (((SessionStarted)e).Model, ((SessionStarted)e).Provider, ((SessionStarted)e).ClientProtocol,
                 ((SessionStarted)e).Route, ((SessionStarted)e).ExperimentId, ((SessionStarted)e).ExperimentArm)),
            e =>
            {
                var user = (TranscriptSegmentRecorded)e;
                Assert.Equal(("user", "item_u1", "What is the weather?", false), (user.Role, user.ItemId, user.Text, user.TruncatedByBargeIn));
                // On the session clock from speech_started, as long as the speech's audio span.
                Assert.Equal(1360L, user.EndOffsetMs - user.StartOffsetMs);
                Assert.Equal(EventIds.For(session, "item_u1", "user"), user.SegmentId);
            },
            e =>
            {
                var assistant = (TranscriptSegmentRecorded)e;
                Assert.Equal(("assistant", "item_a1", "It is sunny.", false), (assistant.Role, assistant.ItemId, assistant.Text, assistant.TruncatedByBargeIn));
                Assert.True(assistant.EndOffsetMs >= assistant.StartOffsetMs);
            },
            e =>
            {
                var usage = (UsageRecorded)e;
                Assert.Equal(EventIds.For(session, "resp_1", "usage"), usage.EventId);
                Assert.Equal(context.TenantId, usage.TenantId);
                // Uncached = reported - cached, per modality.
                Assert.Equal((120L, 10L, 0L, 30L, 40L, 0L, 80L, 20L),
                    (usage.InputAudioTokens, usage.InputTextTokens, usage.InputImageTokens, usage.CachedInputAudioTokens,
                     usage.CachedInputTextTokens, usage.CachedInputImageTokens, usage.OutputAudioTokens, usage.OutputTextTokens));
                Assert.Equal(20L, usage.ConnectionMilliseconds);
            },
            e => Assert.Equal("client_closed", ((SessionEnded)e).EndReason));
    }

    [Fact]
    public async Task A_cancelled_response_is_marked_truncated_and_usage_reports_split_the_connection_time()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        var session = $"sess_{Guid.NewGuid():N}";
        var time = new FakeTimeProvider();
        var recorder = new SessionEventRecorder(new NullSink(), spool, Context(session), time);

        await Send(recorder, """{"type":"response.created","event_id":"e1","response":{"id":"resp_1"}}""");
        await Send(recorder, """{"type":"response.output_audio_transcript.done","event_id":"e2","response_id":"resp_1","item_id":"item_a1","transcript":"Let me tell you a long"}""");
        await Send(recorder, DoneWithUsage("e3", "resp_1", "cancelled"));
        time.Advance(TimeSpan.FromMilliseconds(100));
        // A text-only response: its output_text is the transcript. No usage on this one.
        await Send(recorder, """{"type":"response.output_text.done","event_id":"e4","response_id":"resp_2","item_id":"item_a2","text":"Short answer."}""");
        await Send(recorder, """{"type":"response.done","event_id":"e5","response":{"id":"resp_2","status":"completed"}}""");
        await Send(recorder, DoneWithUsage("e6", "resp_3", "completed"));

        var events = await harness.Published.WaitForAsync(session, 4);
        var segments = events.OfType<TranscriptSegmentRecorded>().OrderBy(s => s.ItemId, StringComparer.Ordinal).ToList();
        Assert.Equal([("item_a1", true), ("item_a2", false)], segments.Select(s => (s.ItemId, s.TruncatedByBargeIn)));
        var usages = events.OfType<UsageRecorded>().OrderBy(u => u.OccurredAt).ToList();
        Assert.Equal(2, usages.Count);
        Assert.Equal(100L, usages[1].ConnectionMilliseconds); // only the time since the first report
        Assert.NotEqual(usages[0].EventId, usages[1].EventId);
    }

    [Fact]
    public async Task A_manual_turns_words_are_placed_where_its_audio_joined_the_conversation_not_where_its_transcript_arrived()
    {
        await using var harness = await EventBusHarness.StartAsync();
        var spool = harness.Spool();
        harness.Forwarder(spool, "router-a");
        var session = $"sess_{Guid.NewGuid():N}";
        var time = new FakeTimeProvider();
        var recorder = new SessionEventRecorder(new NullSink(), spool, Context(session), time);

        // No VAD: the client committed its audio; the answer starts before the user's words are transcribed.
        time.Advance(TimeSpan.FromMilliseconds(1_000));
        await Send(recorder, """{"type":"conversation.item.done","event_id":"e1","item":{"id":"item_u1","type":"message","role":"user","content":[{"type":"input_audio","transcript":null}]}}""");
        time.Advance(TimeSpan.FromMilliseconds(300));
        await Send(recorder, """{"type":"response.created","event_id":"e2","response":{"id":"resp_1"}}""");
        time.Advance(TimeSpan.FromMilliseconds(400));
        await Send(recorder, """{"type":"conversation.item.input_audio_transcription.completed","event_id":"e3","item_id":"item_u1","content_index":0,"transcript":"Hello?"}""");
        await Send(recorder, """{"type":"response.output_audio_transcript.done","event_id":"e4","response_id":"resp_1","item_id":"item_a1","transcript":"Hi."}""");
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Send(recorder, """{"type":"response.done","event_id":"e5","response":{"id":"resp_1","status":"completed"}}""");

        var segments = (await harness.Published.WaitForAsync(session, 2)).OfType<TranscriptSegmentRecorded>().ToDictionary(s => s.Role);
        Assert.Equal((1_000L, 1_000L), (segments["user"].StartOffsetMs, segments["user"].EndOffsetMs));
        Assert.Equal((1_300L, 2_200L), (segments["assistant"].StartOffsetMs, segments["assistant"].EndOffsetMs));
    }

    [Fact]
    public async Task Usage_maps_the_Gemini_connector_shape_with_image_and_cached_tokens()
    {
        var usage = System.Text.Json.JsonDocument.Parse("""
            {"total_tokens":10,"input_tokens":8,"output_tokens":2,
             "input_token_details":{"text_tokens":3,"audio_tokens":4,"image_tokens":1,"cached_tokens":2,
               "cached_tokens_details":{"text_tokens":1,"audio_tokens":0,"image_tokens":1}},
             "output_token_details":{"text_tokens":0,"audio_tokens":2}}
            """).RootElement;
        var context = Context("sess_x") with { Model = "gemini-3.1-flash-live", Provider = "google" };
        var e = UsageMapping.ToEvent(usage, Guid.NewGuid(), context, DateTimeOffset.UtcNow, 5);
        Assert.Equal((4L, 2L, 0L, 0L, 1L, 1L, 2L, 0L, 5L),
            (e.InputAudioTokens, e.InputTextTokens, e.InputImageTokens, e.CachedInputAudioTokens, e.CachedInputTextTokens,
             e.CachedInputImageTokens, e.OutputAudioTokens, e.OutputTextTokens, e.ConnectionMilliseconds));
        Assert.Equal(("gemini-3.1-flash-live", "google"), (e.Model, e.Provider));
        await Task.CompletedTask;
    }
}
