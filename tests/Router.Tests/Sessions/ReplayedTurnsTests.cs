using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>The Router's half of exactly-once turns: which request a response answers, and replayed items applied once.</summary>
public class ReplayedTurnsTests
{
    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void Each_response_created_answers_the_oldest_pending_request_and_a_refusal_removes_one()
    {
        var requests = new ResponseRequests();
        var turns = new ReplayedTurns(requests, new HashSet<string>(), NullLogger.Instance);
        Assert.True(turns.ShouldHand(4, Json("""{"type":"response.create","event_id":"evt_a"}""")));
        Assert.True(turns.ShouldHand(7, Json("""{"type":"response.create","event_id":"evt_b"}""")));
        Assert.True(turns.ShouldHand(9, Json("""{"type":"response.create","event_id":"evt_c"}""")));

        requests.Observe(CanonicalEvent.Read(Json("""{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"x","message":"m","param":null,"event_id":"evt_b"}}""")));
        Assert.Equal(4ul, requests.Observe(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_1"}}"""))));
        Assert.Equal(0ul, requests.Observe(CanonicalEvent.Read(Json("""{"type":"response.output_audio.delta"}"""))));
        Assert.Equal(9ul, requests.Observe(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_2"}}"""))));
        Assert.Equal(0ul, requests.Observe(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_vad"}}"""))));
    }

    [Fact]
    public async Task A_drain_waits_until_the_requested_response_has_started()
    {
        var requests = new ResponseRequests();
        requests.Requested(3, null);
        var waiting = requests.WaitUntilNoneAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        requests.Observe(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_1"}}""")));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_replayed_item_the_restored_conversation_holds_is_not_applied_again()
    {
        var turns = new ReplayedTurns(new ResponseRequests(), new HashSet<string> { "item_known" }, NullLogger.Instance);
        Assert.False(turns.ShouldHand(5, Json("""{"type":"conversation.item.create","event_id":"e","item":{"type":"message","id":"item_known","role":"user","content":[]}}""")));
        Assert.True(turns.ShouldHand(6, Json("""{"type":"conversation.item.create","item":{"id":"item_new","type":"message","role":"user","content":[]}}""")));
        Assert.True(turns.ShouldHand(7, Json("""{"type":"session.update","session":{"type":"realtime"}}""")));
    }

    [Fact]
    public void Frames_up_to_the_covered_input_are_not_handed_again()
    {
        var turns = new ReplayedTurns(new ResponseRequests(), new HashSet<string>(), NullLogger.Instance, coveredInputSeq: 12);
        Assert.True(turns.IsCovered(11));
        Assert.True(turns.IsCovered(12));
        Assert.False(turns.IsCovered(13));
        Assert.False(turns.IsCovered(0)); // platform-made input has no frame
        Assert.False(new ReplayedTurns(new ResponseRequests(), new HashSet<string>(), NullLogger.Instance).IsCovered(1));
    }
}
