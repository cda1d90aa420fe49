using System.Text.Json.Nodes;
using VoicePlatform.Router.Providers.OpenAI;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>
/// The bookkeeping of a connection being rebuilt: which server events answer a replayed event, and which item events
/// are echoes of the replay (the client must not see them). No socket.
/// </summary>
public class OpenAIReplayOperationsTests
{
    [Fact]
    public async Task A_replayed_item_is_confirmed_by_its_item_done_and_its_echoes_are_the_connectors_own()
    {
        var replay = new OpenAIReplayOperations();
        var op = replay.Register("vp_item_1", "item_a");

        Assert.True(replay.IsEcho("item_a", done: false)); // conversation.item.added
        Assert.False(op.IsCompleted);
        Assert.False(replay.IsEcho("item_client", done: false)); // an item the client created meanwhile
        Assert.True(replay.IsEcho("item_a", done: true));

        Assert.True((await op).Ok);
        Assert.False(replay.IsEcho("item_a", done: true)); // a later event of the item is the client's again
    }

    [Fact]
    public async Task A_rejection_naming_the_replayed_event_answers_it_and_stops_swallowing_its_item()
    {
        var replay = new OpenAIReplayOperations();
        var op = replay.Register("vp_item_1", "item_a");

        var error = JsonNode.Parse("""{"type":"invalid_request_error","code":"invalid_value","param":"item.content","message":"bad"}""");
        Assert.True(replay.Complete("vp_item_1", ReplayResult.Rejected(error)));

        var result = await op;
        Assert.Equal((false, "invalid_value", "item.content", "bad"), (result.Ok, result.Code, result.Param, result.Message));
        Assert.False(replay.IsEcho("item_a", done: false));
    }

    [Fact]
    public void An_error_for_an_event_the_rebuild_did_not_send_is_the_clients()
    {
        var replay = new OpenAIReplayOperations();
        replay.Register("vp_session_1", null);

        Assert.False(replay.Complete("evt_from_client", ReplayResult.Rejected(null)));
        Assert.True(replay.Complete("vp_session_1", ReplayResult.Confirmed));
        Assert.False(replay.Complete("vp_session_1", ReplayResult.Confirmed)); // answered once
    }

    [Fact]
    public async Task Items_are_answered_independently_in_any_order()
    {
        var replay = new OpenAIReplayOperations();
        var first = replay.Register("vp_item_1", "item_a");
        var second = replay.Register("vp_item_2", "item_b");

        Assert.True(replay.IsEcho("item_b", done: true));
        Assert.True((await second).Ok);
        Assert.False(first.IsCompleted);
        Assert.True(replay.IsEcho("item_a", done: true));
        Assert.True((await first).Ok);
    }
}
