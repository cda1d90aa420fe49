using VoicePlatform.Contracts.Events.Quality;

namespace VoicePlatform.Gateway.Tests.Quality;

public sealed class SessionQualityMeterTests
{
    private const string SpeechStarted = """{"type":"input_audio_buffer.speech_started","audio_start_ms":0,"item_id":"item_u1"}""";
    private const string SpeechStopped = """{"type":"input_audio_buffer.speech_stopped","audio_end_ms":900,"item_id":"item_u1"}""";
    private const string Committed = """{"type":"input_audio_buffer.committed","item_id":"item_u1"}""";

    [Fact]
    public void A_voice_turn_is_measured_from_speech_stopped_to_the_first_audio_and_text_written_to_the_client()
    {
        var session = new MeasuredSession();
        session.At(100).Server(SpeechStarted).At(1000).Server(SpeechStopped).Server(Committed)
            .At(1100).Created("resp_1")
            .At(1150).Server("""{"type":"response.output_audio_transcript.delta","response_id":"resp_1","item_id":"item_a1","delta":"Hi"}""")
            .At(1300).Audio("resp_1", "item_a1", 200).Audio("resp_1", "item_a1", 200)
            .At(1400).Done("resp_1");
        session.Meter.Complete();

        var turn = Assert.Single(session.Turns);
        Assert.Equal(("resp_1", "server_vad", 1000L, 300L, 150L, "completed", 400L),
            (turn.ResponseId, turn.Trigger, turn.TurnEndMs, turn.ResponseLatencyMs, turn.FirstTextLatencyMs, turn.Status, turn.AudioOutMs));
        Assert.Equal([new ItemPlayback("item_a1", 1300, 1700, false)], turn.Items);
        Assert.False(turn.Interrupted);
        var measured = Assert.Single(session.Published.OfType<SessionMeasured>());
        Assert.Equal((1, 400L, 0, 0, "client_closed"), (measured.Turns, measured.AudioOutMs, measured.Interruptions, measured.FalseInterruptions, measured.EndReason));
    }

    [Fact]
    public void A_barge_in_is_counted_with_how_far_into_playback_it_came_and_the_truncation_cuts_the_item()
    {
        var session = new MeasuredSession();
        session.At(0).Client("""{"type":"response.create"}""").At(50).Created("resp_1")
            .At(200).Audio("resp_1", "item_a1", 1000).Audio("resp_1", "item_a1", 1000) // queued until 2200
            .At(300).Done("resp_1")
            .At(900).Server(SpeechStarted) // 700 ms into playback
            .At(950).Client("""{"type":"conversation.item.truncate","item_id":"item_a1","content_index":0,"audio_end_ms":720}""")
            .At(1500).Server(SpeechStopped).Server(Committed).At(1600).Created("resp_2")
            .At(1700).Audio("resp_2", "item_a2", 100);
        session.Meter.Complete();

        var first = session.Turns.Single(t => t.ResponseId == "resp_1");
        Assert.True(first.Interrupted);
        Assert.Equal(700L, first.InterruptedAfterMs);
        Assert.Equal(("response_create", 0L, 200L), (first.Trigger, first.TurnEndMs, first.ResponseLatencyMs));
        Assert.Equal([new ItemPlayback("item_a1", 200, 920, true)], first.Items);
        // Playback resumed from where the client stopped, so the next response's audio plays when it arrives.
        var second = session.Turns.Single(t => t.ResponseId == "resp_2");
        Assert.Equal([new ItemPlayback("item_a2", 1700, 1800, false)], second.Items);
        Assert.Equal(200L, second.ResponseLatencyMs);
        Assert.Equal(1, session.Published.OfType<SessionMeasured>().Single().Interruptions);
    }

    [Fact]
    public void Speech_during_silence_is_not_a_barge_in_and_speech_that_never_becomes_a_turn_is_a_false_interruption()
    {
        var session = new MeasuredSession();
        session.At(0).Client("""{"type":"response.create"}""").Created("resp_1").At(10).Audio("resp_1", "item_a1", 100).Done("resp_1")
            .At(500).Server(SpeechStarted)    // playback ended at 110: not a barge-in
            .At(800).Server(SpeechStarted)    // the first speech start never committed
            .At(900).Server(SpeechStopped).Server(Committed)
            .At(1000).Server(SpeechStarted);  // the session ends before this one commits
        session.Meter.Complete();

        Assert.False(Assert.Single(session.Turns).Interrupted);
        var measured = session.Published.OfType<SessionMeasured>().Single();
        Assert.Equal((0, 2), (measured.Interruptions, measured.FalseInterruptions));
    }

    [Fact]
    public void A_chunk_that_arrives_after_playback_ran_dry_is_a_stall_of_the_difference()
    {
        var session = new MeasuredSession();
        session.At(0).Client("""{"type":"response.create"}""").Created("resp_1")
            .At(100).Audio("resp_1", "item_a1", 100)   // plays 100–200
            .At(150).Audio("resp_1", "item_a1", 100)   // queued: plays 200–300
            .At(420).Audio("resp_1", "item_a1", 100)   // playback ran dry at 300: a 120 ms stall
            .At(430).Audio("resp_1", "item_a1", 100)
            .Done("resp_1");
        session.Meter.Complete();

        var turn = Assert.Single(session.Turns);
        Assert.Equal(120L, turn.MaxStallMs);
        Assert.Equal([new ItemPlayback("item_a1", 100, 620, false)], turn.Items);
    }

    [Fact]
    public void A_chunk_is_placed_at_the_instant_its_write_started_which_the_recording_uses_too()
    {
        var session = new MeasuredSession();
        session.At(0).Client("""{"type":"response.create"}""").Created("resp_1").At(380);
        // The session took the instant at 300 and told the meter later (the recording places the chunk at 300 as well).
        session.Meter.OutputAudio("resp_1", "item_a1", 200 * 48, 24_000, TimeSpan.FromMilliseconds(300));
        session.Done("resp_1");
        session.Meter.Complete();

        var turn = Assert.Single(session.Turns);
        Assert.Equal([new ItemPlayback("item_a1", 300, 500, false)], turn.Items);
        Assert.Equal(300L, turn.ResponseLatencyMs);
    }

    [Fact]
    public void A_client_tool_call_is_timed_to_its_output_and_the_follow_up_answer_counts_from_the_users_turn()
    {
        var session = new MeasuredSession();
        const string call = """[{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"}]""";
        session.At(1000).Server(SpeechStopped).Server(Committed).At(1100).Created("resp_1").At(1200).Done("resp_1", output: call)
            .At(1900).Client("""{"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"call_1","output":"{}"}}""")
            .Client("""{"type":"response.create"}""")
            .At(2000).Created("resp_2").At(2400).Audio("resp_2", "item_a2", 100).Done("resp_2");
        session.Meter.Complete();

        var tool = Assert.Single(session.Published.OfType<ToolCallMeasured>());
        Assert.Equal(("call_1", "get_weather", "ok", 700L), (tool.CallId, tool.ToolName, tool.Outcome, tool.LatencyMs));
        var answer = session.Turns.Single(t => t.ResponseId == "resp_2");
        Assert.Equal(("server_vad", 1000L, 1400L), (answer.Trigger, answer.TurnEndMs, answer.ResponseLatencyMs));
        Assert.Null(session.Turns.Single(t => t.ResponseId == "resp_1").ResponseLatencyMs); // no audio
    }

    [Fact]
    public void A_call_never_answered_by_the_client_is_reported_unanswered_at_the_end()
    {
        var session = new MeasuredSession();
        session.At(0).Client("""{"type":"response.create"}""").Created("resp_1")
            .Done("resp_1", output: """[{"type":"function_call","call_id":"call_9","name":"lookup","arguments":"{}"}]""")
            .At(5000);
        session.Meter.Complete();

        var tool = Assert.Single(session.Published.OfType<ToolCallMeasured>());
        Assert.Equal(("unanswered", 5000L), (tool.Outcome, tool.LatencyMs));
    }

    [Fact]
    public void Routing_and_passed_over_steps_become_the_dimensions_and_connect_fallback_events()
    {
        var session = new MeasuredSession();
        var model = new VoicePlatform.Gateway.Realtime.SessionModel("support-voice", null);
        var routing = System.Text.Json.Nodes.JsonNode.Parse(
            """{"route":"support-voice","experiment":"exp_1","arm":"fast","model":"gpt-realtime","passed_over":[{"model":"gemini-live","reason":"provider_unavailable"}]}""");
        VoicePlatform.Gateway.Quality.RoutingExtension.Report(session.Meter, model, routing);
        session.At(0).Client("""{"type":"response.create"}""").Created("resp_1").Done("resp_1", "cancelled");
        session.Meter.Ending("limit");
        session.Meter.Complete();

        var fallback = Assert.Single(session.Published.OfType<ContinuityEventRecorded>());
        Assert.Equal(("connect_fallback", "gemini-live: provider_unavailable"), (fallback.Kind, fallback.Detail));
        var measured = session.Published.OfType<SessionMeasured>().Single();
        Assert.Equal(("support-voice", "exp_1", "fast"), (measured.Dimensions.Route, measured.Dimensions.ExperimentId, measured.Dimensions.ExperimentArm));
        Assert.Equal((1, "limit"), (measured.ResponsesCancelled, measured.EndReason));
        Assert.Equal("cancelled", Assert.Single(session.Turns).Status);
    }

    [Fact]
    public void The_users_speech_is_placed_where_its_audio_was_forwarded_from_onset_to_silence()
    {
        var session = new MeasuredSession();
        session.Server("""{"type":"session.created","session":{"audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":300,"silence_duration_ms":500}}}}}""");
        // A paced client: 20 ms chunks from 100 ms on, so input millisecond X was forwarded at 100 + X.
        for (var at = 100; at < 2_700; at += 20) session.At(at).ClientAudio(20);
        session.Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":700,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":2500,"item_id":"item_u1"}""").Server(Committed)
            .Created("resp_1").At(2_800).Audio("resp_1", "item_a1", 100).Done("resp_1");
        session.Meter.Complete();

        // Onset = 700 + 300 padding, silence from 2500 − 500: forwarded at 1100 and 2100.
        Assert.Equal(new ItemPlayback("item_u1", 1_100, 2_100, false), Assert.Single(session.Turns).UserSpeech);
    }

    [Fact]
    public void The_users_speech_is_placed_by_the_instants_its_audio_was_forwarded_at_which_the_recording_uses_too()
    {
        var session = new MeasuredSession();
        session.Server("""{"type":"session.created","session":{"audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":300,"silence_duration_ms":500}}}}}""");
        // Forwarded every 20 ms from 100 ms on; each chunk reaches the meter 60 ms after the instant the session took for it.
        for (var at = 100; at < 2_700; at += 20) session.At(at + 60).Meter.ClientAudio(20 * 48, 24_000, TimeSpan.FromMilliseconds(at));
        session.Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":700,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":2500,"item_id":"item_u1"}""").Server(Committed)
            .Created("resp_1").At(2_800).Audio("resp_1", "item_a1", 100).Done("resp_1");
        session.Meter.Complete();

        Assert.Equal(new ItemPlayback("item_u1", 1_100, 2_100, false), Assert.Single(session.Turns).UserSpeech);
    }

    [Fact]
    public void Speech_held_up_by_a_stall_and_forwarded_in_a_burst_is_placed_where_the_recording_places_it()
    {
        var session = new MeasuredSession();
        session.Server("""{"type":"session.created","session":{"audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":300,"silence_duration_ms":500}}}}}""");
        // Paced 20 ms chunks from 100 ms on, but input 600-1400 is held up and forwarded at once at 1500, with the next
        // chunk; then real time again. The recording closes the 800 ms delay (a microphone never runs faster than real
        // time), so input millisecond X is still at 100 + X.
        for (var input = 0; input < 2_600; input += 20)
            session.At(input is >= 600 and < 1_400 ? 1_500 : 100 + input).ClientAudio(20);
        session.Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":700,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":2500,"item_id":"item_u1"}""").Server(Committed)
            .Created("resp_1").At(2_800).Audio("resp_1", "item_a1", 100).Done("resp_1");
        session.Meter.Complete();

        Assert.Equal(new ItemPlayback("item_u1", 1_100, 2_100, false), Assert.Single(session.Turns).UserSpeech);
    }

    [Fact]
    public void Speech_held_up_longer_than_the_recording_keeps_audio_editable_is_placed_where_the_recording_could_still_move_it()
    {
        var session = new MeasuredSession();
        session.Server("""{"type":"session.created","session":{"audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":300,"silence_duration_ms":500}}}}}""");
        // Input 600-3600 is held up for 3 s and forwarded at once at 3700. The recording has finalised its audio up to
        // 2 s (FinalizationDelay) before that burst, so it closes the gap only down to 1700: input X >= 600 lies at 1100 + X.
        for (var input = 0; input < 4_000; input += 20)
            session.At(input is >= 600 and < 3_600 ? 3_700 : 100 + input).ClientAudio(20);
        session.Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":700,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":2500,"item_id":"item_u1"}""").Server(Committed)
            .Created("resp_1").At(4_200).Audio("resp_1", "item_a1", 100).Done("resp_1");
        session.Meter.Complete();

        Assert.Equal(new ItemPlayback("item_u1", 2_100, 3_100, false), Assert.Single(session.Turns).UserSpeech);
    }

    [Fact]
    public void Speech_sent_faster_than_real_time_ends_no_later_than_the_provider_said_it_stopped()
    {
        var session = new MeasuredSession();
        session.Server("""{"type":"session.created","session":{"audio":{"input":{"turn_detection":{"type":"server_vad","prefix_padding_ms":300,"silence_duration_ms":500}}}}}""");
        session.At(100);
        for (var i = 0; i < 100; i++) session.ClientAudio(20); // 2 s of audio at once: laid out from 100 to 2100
        session.At(150).Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":300,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":2000,"item_id":"item_u1"}""")
            .Created("resp_1").At(200).Audio("resp_1", "item_a1", 100).Done("resp_1");
        session.Meter.Complete();

        // Laid out, the speech would end at 1600, after its answer started at 200: it ends when the provider said so,
        // and it starts no earlier than its audio was sent (moved back by 1450 ms it would start at -750).
        var speech = Assert.Single(session.Turns).UserSpeech!;
        Assert.Equal(new ItemPlayback("item_u1", 100, 150, false), speech);
    }

    [Fact]
    public void After_a_Router_failover_the_providers_offsets_are_not_trusted_to_place_speech()
    {
        var session = new MeasuredSession();
        for (var at = 0; at < 2_000; at += 20) session.At(at).ClientAudio(20);
        session.Meter.RouterFailover(TimeSpan.FromMilliseconds(300));
        session.Server("""{"type":"input_audio_buffer.speech_started","audio_start_ms":100,"item_id":"item_u1"}""")
            .Server("""{"type":"input_audio_buffer.speech_stopped","audio_end_ms":900,"item_id":"item_u1"}""")
            .Created("resp_1").Done("resp_1");
        session.Meter.Complete();

        Assert.Null(Assert.Single(session.Turns).UserSpeech);
        var failover = Assert.Single(session.Published.OfType<ContinuityEventRecorded>());
        Assert.Equal(("router_failover", 300L), (failover.Kind, failover.DurationMs));
    }

    [Fact]
    public void Event_ids_are_derived_so_a_repeated_report_is_the_same_event()
    {
        var first = new MeasuredSession();
        first.At(0).Client("""{"type":"response.create"}""").Created("resp_1").Done("resp_1");
        first.Meter.Complete();
        first.Meter.Complete(); // a second completion publishes nothing more

        Assert.Equal(2, first.Published.Count);
        Assert.Equal(VoicePlatform.Contracts.Events.EventIds.For("sess_test", "turn", "resp_1"), first.Turns.Single().EventId);
    }
}
