using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol.Tests.Events;

/// <summary>The <c>error</c> server event and the event-type reader every hop uses.</summary>
public class ErrorEventTests
{
    [Fact]
    public void A_client_error_becomes_an_error_event_carrying_the_clients_event_id()
    {
        var bytes = ClientError.UnknownParameter("session.colour").ToEvent("evt_client_1");

        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        Assert.Equal("error", RealtimeEventType.Read(bytes));
        Assert.StartsWith("event_", root.GetProperty("event_id").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(("invalid_request_error", "unknown_parameter", "session.colour", "evt_client_1"),
            (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString(), error.GetProperty("event_id").GetString()));
        Assert.Equal("Unknown parameter: 'session.colour'.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"event_id":"e","type":"response.create","response":{"type":"x"}}""", "response.create")]
    [InlineData("""{"response":{"type":"nested"},"type":"session.update"}""", "session.update")]
    [InlineData("""{"type":5}""", null)]
    [InlineData("""[1,2]""", null)]
    public void The_event_type_is_read_from_the_top_level_only(string json, string? expected) =>
        Assert.Equal(expected, RealtimeEventType.Read(System.Text.Encoding.UTF8.GetBytes(json)));
}
