using System.Text;
using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>
/// The client messages kept for a resume on a new Gemini connection: those after the handle's state, bounded, and
/// filtered for the new setup. No socket.
/// </summary>
public class TransparentReplayTests
{
    private const string Audio = """{"realtimeInput":{"audio":{"data":"AAAA","mimeType":"audio/pcm;rate=16000"}}}""";
    private const string ActivityStart = """{"realtimeInput":{"activityStart":{}}}""";
    private const string Text = """{"clientContent":{"turns":[{"role":"user","parts":[{"text":"hi"}]}],"turnComplete":true}}""";

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void A_handle_trims_what_its_state_already_has_and_a_resume_takes_the_rest_in_order()
    {
        var replay = new TransparentReplay(limit: 100);
        replay.Remember(Json(Text), 1);
        replay.Remember(Json(Audio), 2);
        replay.Remember(Json(Audio.Replace("AAAA", "BBBB")), 3);

        replay.Trim(consumedIndex: 2);

        var taken = replay.Take(serverVad: true);
        Assert.Equal([Audio.Replace("AAAA", "BBBB")], taken.Select(Encoding.UTF8.GetString));
        Assert.Equal(0, replay.Count);
    }

    [Fact]
    public void A_new_setup_gets_audio_with_server_VAD_and_activity_signals_with_manual_turns_and_content_always()
    {
        var withVad = new TransparentReplay(limit: 100);
        var manual = new TransparentReplay(limit: 100);
        foreach (var replay in new[] { withVad, manual })
        {
            replay.Remember(Json(ActivityStart), 1);
            replay.Remember(Json(Audio), 2);
            replay.Remember(Json(Text), 3);
        }

        Assert.Equal([Audio, Text], withVad.Take(serverVad: true).Select(Encoding.UTF8.GetString));
        Assert.Equal([ActivityStart, Text], manual.Take(serverVad: false).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Beyond_its_limit_the_oldest_message_is_dropped_and_an_older_handle_can_no_longer_be_replayed_completely()
    {
        var replay = new TransparentReplay(limit: 2);
        for (var index = 1; index <= 4; index++) replay.Remember(Json(Audio), index);

        Assert.Equal(2, replay.Count);
        Assert.Equal(2, replay.DroppedUpTo);
        Assert.False(replay.CompleteAfter(consumedIndex: 1)); // message 2 is gone
        Assert.True(replay.CompleteAfter(consumedIndex: 2));

        replay.Clear();
        Assert.Null(replay.DroppedUpTo);
        Assert.Empty(replay.Take(serverVad: true));
    }

    [Fact]
    public void A_handle_that_names_no_consumed_index_leaves_nothing_to_replay()
    {
        var replay = new TransparentReplay(limit: 10);
        replay.Remember(Json(Audio), 1);

        replay.Trim(consumedIndex: null);

        Assert.Equal(0, replay.Count);
    }
}
