using System.Text;
using VoicePlatform.Router.Routing.Fallback;

namespace VoicePlatform.Router.Tests.Routing.Fallback;

public class UnconfirmedClientItemsTests
{
    private readonly UnconfirmedClientItems _items = new();

    private void Hand(string json) => _items.Handing(Encoding.UTF8.GetBytes(json), System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("type").GetString());

    private void Observe(string json) => _items.Observe(System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("type").GetString(), Encoding.UTF8.GetBytes(json));

    private List<string> Taken() => [.. _items.TakeAll().Select(Encoding.UTF8.GetString)];

    [Fact]
    public void Client_items_are_confirmed_in_order_by_the_providers_item_done()
    {
        Hand("""{"type":"conversation.item.create","event_id":"a"}""");
        Hand("""{"type":"conversation.item.create","event_id":"b"}""");
        Hand("""{"type":"response.create"}""");
        Observe("""{"type":"conversation.item.done","item":{"id":"item_a","type":"message","role":"user"}}""");

        Assert.Equal(["""{"type":"conversation.item.create","event_id":"b"}"""], Taken());
        Assert.Empty(Taken()); // taken once
    }

    [Fact]
    public void What_a_response_or_committed_audio_adds_confirms_nothing()
    {
        Hand("""{"type":"conversation.item.create","event_id":"a"}""");
        Observe("""{"type":"conversation.item.done","item":{"id":"item_r","type":"message","role":"assistant"}}""");
        Observe("""{"type":"conversation.item.done","item":{"id":"item_f","type":"function_call"}}""");
        Observe("""{"type":"input_audio_buffer.committed","item_id":"item_v"}""");
        Observe("""{"type":"conversation.item.done","item":{"id":"item_v","type":"message","role":"user"}}""");

        Assert.Single(Taken());
    }

    [Fact]
    public void A_confirmation_while_the_provider_takes_the_frame_counts_and_a_failed_hand_over_is_withdrawn()
    {
        var taking = _items.Handing(Encoding.UTF8.GetBytes("""{"type":"conversation.item.create","event_id":"a"}"""), "conversation.item.create");
        Observe("""{"type":"conversation.item.done","item":{"id":"item_a","type":"message","role":"user"}}"""); // before the send returned
        var failing = _items.Handing(Encoding.UTF8.GetBytes("""{"type":"conversation.item.create","event_id":"b"}"""), "conversation.item.create");
        _items.Withdraw(failing);

        Assert.Empty(Taken());
        _items.Withdraw(taking); // already confirmed: nothing to take back
    }

    [Fact]
    public void An_error_naming_a_frames_event_id_refuses_it()
    {
        Hand("""{"type":"conversation.item.create","event_id":"a"}""");
        Hand("""{"type":"conversation.item.create","event_id":"b"}""");
        Observe("""{"type":"error","error":{"type":"invalid_request_error","code":"invalid_value","event_id":"a"}}""");

        Assert.Equal(["""{"type":"conversation.item.create","event_id":"b"}"""], Taken());
    }
}
