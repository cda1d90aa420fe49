using System.Text;

namespace VoicePlatform.RealtimeProtocol.Tests.Events;

/// <summary>Reading an event's <c>type</c>: once per event on the relay path, so a listed type must not allocate.</summary>
public class RealtimeEventTypeTests
{
    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    [Theory]
    [InlineData("response.output_audio_transcript.delta")]
    [InlineData("conversation.item.done")]
    [InlineData("input_audio_buffer.append")]
    public void A_listed_type_is_read_as_the_one_shared_string(string type)
    {
        var first = RealtimeEventType.Read(Json($$"""{"type":"{{type}}","event_id":"e1"}"""));
        var second = RealtimeEventType.Read(Json($$"""{"event_id":"e2","type":"{{type}}","delta":"x"}"""));

        Assert.Equal(type, first);
        Assert.Same(first, second);
        Assert.Same(first, KnownEventTypes.Find(Encoding.UTF8.GetBytes(type)));
    }

    [Fact]
    public void An_escaped_or_unlisted_type_is_still_read()
    {
        Assert.Equal("response.done", RealtimeEventType.Read(Json("""{"type":"response\u002edone"}""")));
        Assert.Equal("vendor.custom_event", RealtimeEventType.Read(Json("""{"type":"vendor.custom_event"}""")));
        Assert.Null(KnownEventTypes.Find("vendor.custom_event"u8));
    }

    [Fact]
    public void An_event_without_a_string_type_has_none()
    {
        Assert.Null(RealtimeEventType.Read(Json("""{"type":5}""")));
        Assert.Null(RealtimeEventType.Read(Json("""{"event_id":"e"}""")));
        Assert.Null(RealtimeEventType.Read(Json("""[1]""")));
    }

    [Fact]
    public void Reading_only_listed_types_gives_nothing_for_an_unlisted_one_and_allocates_nothing()
    {
        var unlisted = Json("""{"type":"vendor.custom_event","event_id":"e"}""");
        var listed = Json("""{"type":"response.create","event_id":"e"}""");
        Assert.Same(RealtimeEventType.Read(listed), RealtimeEventType.ReadListed(listed));
        Assert.Null(RealtimeEventType.ReadListed(unlisted));
        Assert.Equal("response.create", RealtimeEventType.ReadListed(Json("""{"type":"response\u002ecreate"}""")));

        RealtimeEventType.ReadListed(unlisted); // warm
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) RealtimeEventType.ReadListed(unlisted);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
