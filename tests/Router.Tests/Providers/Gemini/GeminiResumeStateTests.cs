using System.Text;
using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>What a new Gemini connection resumes from: the handle, the client messages after its state, the frames it covers. No socket.</summary>
public class GeminiResumeStateTests
{
    private const string Audio = """{"realtimeInput":{"audio":{"data":"AAAA","mimeType":"audio/pcm;rate=16000"}}}""";
    private const string Text = """{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hi"}]}],"turnComplete":true}}""";

    private static GeminiResumeState State(bool transparent = true, int limit = 100) =>
        new(new GeminiProviderOptions { TransparentResumption = transparent, ReplayLimit = limit });

    private static void Send(GeminiResumeState state, string json, long index) => state.Sent(Encoding.UTF8.GetBytes(json), index);

    [Fact]
    public void Nothing_said_yet_switches_to_a_fresh_setup_with_nothing_to_replay()
    {
        var state = State();
        Send(state, Text, 1);
        Assert.True(state.Offer("h1", consumedIndex: 0));

        var (handle, replay, dropped) = state.TakeForSwitch(hasContext: false, hasAudio: false, reanswer: false, serverVad: true);

        Assert.Null(handle);
        Assert.Empty(replay);
        Assert.Null(dropped);
    }

    [Fact]
    public void With_content_the_switch_resumes_the_handle_and_replays_only_what_came_after_its_state()
    {
        var state = State();
        Send(state, Text, 1);
        Send(state, Audio, 2);
        Send(state, Audio.Replace("AAAA", "BBBB"), 3);
        Assert.True(state.Offer("h1", consumedIndex: 2));

        Assert.True(state.CanReplaySinceHandle);
        var (handle, replay, _) = state.TakeForSwitch(hasContext: true, hasAudio: true, reanswer: false, serverVad: true);

        Assert.Equal("h1", handle);
        Assert.Equal([Audio.Replace("AAAA", "BBBB")], replay.Select(Encoding.UTF8.GetString));
        // The record starts afresh for the new connection: a second switch has nothing left to replay.
        Assert.Empty(state.TakeForSwitch(hasContext: true, hasAudio: true, reanswer: false, serverVad: true).Replay);
    }

    [Fact]
    public void A_lost_reply_without_transparent_replay_rebuilds_instead_of_resuming()
    {
        var state = State(transparent: false);
        Assert.True(state.Offer("h1", consumedIndex: null));

        Assert.Equal("h1", state.TakeForSwitch(hasContext: true, hasAudio: false, reanswer: false, serverVad: true).Handle);
        Assert.Null(state.TakeForSwitch(hasContext: true, hasAudio: false, reanswer: true, serverVad: true).Handle);
    }

    [Fact]
    public void Audio_before_the_first_turn_is_replayed_even_without_a_handle()
    {
        var state = State();
        Send(state, Audio, 1);
        Send(state, Audio.Replace("AAAA", "BBBB"), 2);

        var (handle, replay, _) = state.TakeForSwitch(hasContext: false, hasAudio: true, reanswer: false, serverVad: true);

        Assert.Null(handle);
        Assert.Equal(2, replay.Count);
    }

    [Fact]
    public void A_replay_the_bounded_record_could_not_keep_is_reported_as_dropped()
    {
        var state = State(limit: 2);
        Assert.True(state.Offer("h1", consumedIndex: 0));
        for (var i = 1; i <= 4; i++) Send(state, Audio, i);

        Assert.False(state.CanReplaySinceHandle);
        var (handle, replay, dropped) = state.TakeForSwitch(hasContext: true, hasAudio: true, reanswer: false, serverVad: true);

        Assert.Equal("h1", handle);
        Assert.Equal(2, replay.Count);
        Assert.Equal(2L, dropped);
    }

    [Fact]
    public void A_handle_covers_the_client_frames_its_state_consumed()
    {
        var state = State();
        state.CoveredInput.Handing(7);
        state.CoveredInput.Sent(1);
        Send(state, Audio, 1);

        Assert.True(state.Offer("h1", consumedIndex: 1));

        Assert.Equal(7UL, state.CoveredInput.CoveredSeq);
    }
}
