using System.Text;
using System.Text.Json;
using Google.Protobuf;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.Realtime.Failover;

namespace VoicePlatform.Gateway.Tests.Realtime.Failover;

/// <summary>What a Router change gives the next Router of a turn: never an answered request again, always an unanswered one.</summary>
public class TurnLedgerTests
{
    private readonly ClientFrameBuffer _buffer = new(1 << 20);
    private readonly TurnLedger _ledger = new();

    private SessionClientFrame Append(string json)
    {
        var frame = new SessionClientFrame { ClientEvent = new ClientEvent { Json = ByteString.CopyFromUtf8(json) } };
        TurnIds.Assign(frame);
        Assert.True(_buffer.TryAppend(frame, _ledger.Track));
        return frame;
    }

    private SessionClientFrame UserText(string text) =>
        Append($$$"""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"{{{text}}}"}]}}""");

    private bool Server(string json, ulong answers = 0) =>
        _ledger.Observe(JsonDocument.Parse(json).RootElement.GetProperty("type").GetString(), Encoding.UTF8.GetBytes(json), answers);

    [Fact]
    public void An_answered_request_is_not_replayed_even_when_the_handed_report_lags_behind()
    {
        var item = UserText("hi");
        var request = Append("""{"type":"response.create"}""");
        Server("""{"type":"response.created","response":{"id":"resp_1"}}""", answers: request.Seq);
        Server("""{"type":"response.done","response":{"id":"resp_1","status":"completed"}}""");

        Assert.False(_ledger.ShouldReplay(request, handedSeq: 0));
        Assert.True(_ledger.ShouldReplay(item, handedSeq: 0)); // not handed: given again (the next Router drops it if it has it)
        Assert.Empty(_ledger.RetainedBefore(request.Seq + 1));
    }

    [Fact]
    public void A_request_whose_answer_was_cut_is_replayed_even_after_the_router_acknowledged_it()
    {
        var item = UserText("hi");
        var request = Append("""{"type":"response.create"}""");
        Server("""{"type":"response.created","response":{"id":"resp_1"}}""", answers: request.Seq);
        _buffer.Acknowledge(request.Seq); // safe as input, but its answer is still streaming

        Assert.Null(_ledger.Cut("resp_1")); // its own request is asked again, nothing extra
        Assert.Equal([item.Seq, request.Seq], _ledger.RetainedBefore(_buffer.FirstUnacknowledged).Select(f => f.Seq));
        Assert.True(_ledger.ShouldReplay(request, handedSeq: request.Seq));
    }

    [Fact]
    public void The_next_router_is_told_the_requests_it_asks_again_and_never_an_answered_one()
    {
        UserText("one");
        var answered = Append("""{"type":"response.create"}""");
        UserText("two");
        var cut = Append("""{"type":"response.create"}""");
        var unstarted = Append("""{"type":"response.create"}""");
        Server("""{"type":"response.created","response":{"id":"resp_1"}}""", answers: answered.Seq);
        Server("""{"type":"response.done","response":{"id":"resp_1","status":"completed"}}""");
        Server("""{"type":"response.created","response":{"id":"resp_2"}}""", answers: cut.Seq);
        _ledger.Cut("resp_2");

        // Whatever an earlier Router recorded for these is not what the client saw; for the answered one it is.
        Assert.Equal([cut.Seq, unstarted.Seq], _ledger.ReaskedSeqs());
    }

    [Fact]
    public void A_request_handed_but_never_answered_is_replayed()
    {
        UserText("hi");
        var request = Append("""{"type":"response.create"}""");
        Assert.Null(_ledger.Cut(null));
        Assert.True(_ledger.ShouldReplay(request, handedSeq: request.Seq));
    }

    [Fact]
    public void A_refused_request_is_not_replayed()
    {
        var request = Append("""{"type":"response.create","event_id":"evt_mine"}""");
        Server("""{"type":"error","event_id":"event_x","error":{"type":"invalid_request_error","code":"conversation_already_has_active_response","message":"busy","param":null,"event_id":"evt_mine"}}""");
        Assert.False(_ledger.ShouldReplay(request, handedSeq: 0));
    }

    [Fact]
    public void A_cut_response_the_server_started_is_re_asked()
    {
        Server("""{"type":"response.created","response":{"id":"resp_vad"}}""", answers: 0);
        var reask = _ledger.Cut("resp_vad");
        Assert.NotNull(reask);
        Assert.Equal("response.create", JsonDocument.Parse(reask.ClientEvent.Json.Memory).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void A_re_ask_refused_because_the_next_provider_is_already_answering_is_kept_from_the_client()
    {
        Server("""{"type":"response.created","response":{"id":"resp_vad"}}""", answers: 0);
        var reask = _ledger.Cut("resp_vad")!;
        Assert.True(_buffer.TryAppend(reask, _ledger.Track));
        var reaskId = JsonDocument.Parse(reask.ClientEvent.Json.Memory).RootElement.GetProperty("event_id").GetString();

        var busy = $$$"""{"type":"error","event_id":"event_x","error":{"type":"invalid_request_error","code":"conversation_already_has_active_response","message":"busy","param":null,"event_id":"{{{reaskId}}}"}}""";
        Assert.False(Server(busy)); // the running response answers; the client never sent this request
        Assert.False(_ledger.ShouldReplay(reask, handedSeq: 0));
        Assert.True(Server(busy)); // only once: a second error with that id is not a re-ask's any more

        // Another refusal of a re-ask (not "already answering") reaches the client, as does the same code for its own request.
        Server("""{"type":"response.created","response":{"id":"resp_vad2"}}""", answers: 0);
        var another = _ledger.Cut("resp_vad2")!;
        var anotherId = JsonDocument.Parse(another.ClientEvent.Json.Memory).RootElement.GetProperty("event_id").GetString();
        Assert.True(Server($$$"""{"type":"error","event_id":"event_y","error":{"type":"server_error","code":"server_error","message":"down","param":null,"event_id":"{{{anotherId}}}"}}"""));
        Assert.True(Server("""{"type":"error","event_id":"event_z","error":{"type":"invalid_request_error","code":"conversation_already_has_active_response","message":"busy","param":null,"event_id":"evt_clients"}}"""));
    }

    [Fact]
    public void The_next_router_is_told_the_responses_the_client_saw_cut_with_their_items_until_an_answer_moves_on()
    {
        Server("""{"type":"response.created","response":{"id":"resp_vad"}}""", answers: 0);
        Server("""{"type":"response.output_item.added","response_id":"resp_vad","output_index":0,"item":{"id":"item_vad","type":"message"}}""");
        _ledger.Cut("resp_vad");
        Assert.Null(_ledger.Cut(null)); // a second break before any answer: nothing more was cut

        var cut = Assert.Single(_ledger.CutResponses());
        Assert.Equal("resp_vad", cut.ResponseId);
        Assert.Equal(["item_vad"], cut.ItemIds);

        Server("""{"type":"response.created","response":{"id":"resp_next"}}""", answers: 0);
        Server("""{"type":"response.done","response":{"id":"resp_next","status":"completed"}}""");
        Assert.Empty(_ledger.CutResponses()); // the Router that answered was told already
    }

    [Fact]
    public void A_re_applied_item_is_shown_to_the_client_once()
    {
        var item = UserText("hi");
        var id = JsonDocument.Parse(item.ClientEvent.Json.Memory).RootElement.GetProperty("item").GetProperty("id").GetString();
        var added = $$$"""{"type":"conversation.item.added","item":{"id":"{{{id}}}"}}""";
        var done = $$$"""{"type":"conversation.item.done","item":{"id":"{{{id}}}"}}""";
        Assert.True(Server(added));
        Assert.True(Server(done));
        Assert.False(Server(added));
        Assert.False(Server(done));
        Assert.True(Server("""{"type":"conversation.item.done","item":{"id":"item_other"}}"""));
    }

    [Fact]
    public void Turn_events_get_the_ids_that_make_a_replay_recognisable_once()
    {
        var item = UserText("hi");
        var id = JsonDocument.Parse(item.ClientEvent.Json.Memory).RootElement.GetProperty("item").GetProperty("id").GetString();
        Assert.StartsWith("item_", id);
        var own = Append("""{"type":"conversation.item.create","item":{"id":"item_client","type":"message","role":"user","content":[]}}""");
        Assert.Equal("item_client", JsonDocument.Parse(own.ClientEvent.Json.Memory).RootElement.GetProperty("item").GetProperty("id").GetString());
        var request = Append("""{"type":"response.create"}""");
        Assert.StartsWith("event_", JsonDocument.Parse(request.ClientEvent.Json.Memory).RootElement.GetProperty("event_id").GetString());

        var duplicateKeys = """{"type":"response.create","event_id":"a","event_id":"b"}""";
        var odd = new SessionClientFrame { ClientEvent = new ClientEvent { Json = ByteString.CopyFromUtf8(duplicateKeys) } };
        TurnIds.Assign(odd); // left to the validation downstream, no exception here
        Assert.Equal(duplicateKeys, odd.ClientEvent.Json.ToStringUtf8());
    }

    [Fact]
    public void The_next_router_is_told_which_items_the_client_saw_in_order_and_nothing_before_the_first()
    {
        Assert.Empty(_ledger.SeenItemIds()); // nothing forwarded yet: the next Router cuts nothing

        Server("""{"type":"conversation.item.added","item":{"id":"item_user"}}""");
        Server("""{"type":"conversation.item.done","item":{"id":"item_user"}}""");
        Server("""{"type":"response.output_item.added","response_id":"resp_1","item":{"id":"item_answer"}}""");
        Server("""{"type":"conversation.item.added","item":{"id":"item_answer"}}""");
        Server("""{"type":"conversation.item.done","item":{"id":"item_late_done_only"}}""");

        Assert.Equal(["item_user", "item_answer", "item_late_done_only"], _ledger.SeenItemIds());
    }

    [Fact]
    public void Only_the_latest_seen_items_are_kept()
    {
        for (var i = 0; i < 300; i++) Server($$$"""{"type":"conversation.item.added","item":{"id":"item_{{{i}}}"}}""");
        var seen = _ledger.SeenItemIds();
        Assert.Equal(256, seen.Count);
        Assert.Equal("item_44", seen[0]);
        Assert.Equal("item_299", seen[^1]);
    }
}
