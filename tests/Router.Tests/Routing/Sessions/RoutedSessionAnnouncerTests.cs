using System.Text;
using System.Text.Json.Nodes;
using VoicePlatform.Router.Routing.Sessions;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Providers.OpenAI;

namespace VoicePlatform.Router.Tests.Routing.Sessions;

public class RoutedSessionAnnouncerTests
{
    private readonly RecordingSink _client = new();
    private readonly RoutedSessionAnnouncer _announcer;

    public RoutedSessionAnnouncerTests() => _announcer = new RoutedSessionAnnouncer(_client);

    private static readonly JsonObject Routing = new() { ["route"] = "support-voice", ["experiment"] = null, ["arm"] = null, ["model"] = "gpt-realtime-2" };

    private ValueTask Send(string json) => _announcer.EventAsync(CanonicalEvent.Read(Encoding.UTF8.GetBytes(json)), CancellationToken.None);

    [Fact]
    public async Task Session_created_waits_for_the_connect_to_settle_then_carries_the_routing_extension()
    {
        await Send("""{"type":"session.created","event_id":"e1","session":{"voice":"alloy"}}""");
        await Send("""{"type":"rate_limits.updated","event_id":"e2"}""");
        Assert.Empty(_client.Drain());

        await _announcer.AnnounceAsync(Routing, defaultsFollow: false, CancellationToken.None);

        var shown = _client.Drain();
        Assert.Equal(["session.created", "rate_limits.updated"], shown.Select(e => e.Type));
        Assert.Equal("support-voice", shown[0].Json.GetProperty("routing").GetProperty("route").GetString());
        Assert.Equal("gpt-realtime-2", shown[0].Json.GetProperty("routing").GetProperty("model").GetString());
        await Send("""{"type":"response.created","event_id":"e3"}""");
        Assert.Equal("response.created", Assert.Single(_client.Drain()).Type);
    }

    [Fact]
    public async Task The_answer_to_the_session_defaults_is_folded_into_session_created_and_not_shown()
    {
        await Send("""{"type":"session.created","event_id":"e1","session":{"voice":"alloy","instructions":""}}""");
        await _announcer.AnnounceAsync(Routing, defaultsFollow: true, CancellationToken.None);
        Assert.Empty(_client.Drain());

        await Send("""{"type":"session.updated","event_id":"e2","session":{"voice":"marin","instructions":"Be brief."}}""");
        await Send("""{"type":"session.updated","event_id":"e3","session":{"voice":"cedar","instructions":"Be brief."}}"""); // the client's own

        var shown = _client.Drain();
        Assert.Equal(["session.created", "session.updated"], shown.Select(e => e.Type));
        Assert.Equal("marin", shown[0].Json.GetProperty("session").GetProperty("voice").GetString());
        Assert.Equal("e1", shown[0].Json.GetProperty("event_id").GetString());
        Assert.Equal("cedar", shown[1].Json.GetProperty("session").GetProperty("voice").GetString());
    }

    [Fact]
    public async Task Session_created_arriving_after_the_connect_settled_is_still_held_for_the_defaults()
    {
        // A connector may return before its session.created has travelled down the sink chain.
        await _announcer.AnnounceAsync(Routing, defaultsFollow: true, CancellationToken.None);
        await Send("""{"type":"session.created","event_id":"e1","session":{"voice":"alloy"}}""");
        Assert.Empty(_client.Drain());
        await Send("""{"type":"session.updated","event_id":"e2","session":{"voice":"marin"}}""");

        var shown = Assert.Single(_client.Drain());
        Assert.Equal(("session.created", "marin"), (shown.Type, shown.Json.GetProperty("session").GetProperty("voice").GetString()));
        Assert.True(shown.Json.TryGetProperty("routing", out _));
    }

    [Fact]
    public async Task Without_defaults_a_late_session_created_still_gets_the_routing_extension()
    {
        await _announcer.AnnounceAsync(Routing, defaultsFollow: false, CancellationToken.None);
        await Send("""{"type":"session.created","event_id":"e1","session":{}}""");

        Assert.True(Assert.Single(_client.Drain()).Json.TryGetProperty("routing", out _));
    }

    [Fact]
    public async Task An_error_about_the_defaults_follows_session_created()
    {
        await Send("""{"type":"session.created","event_id":"e1","session":{"voice":"alloy"}}""");
        await _announcer.AnnounceAsync(Routing, defaultsFollow: true, CancellationToken.None);
        await Send("""{"type":"error","event_id":"e2","error":{"code":"invalid_value"}}""");

        Assert.Equal(["session.created", "error"], _client.Drain().Select(e => e.Type));
    }

    [Fact]
    public async Task What_a_failed_chain_step_emitted_is_dropped_and_its_end_swallowed()
    {
        await Send("""{"type":"session.created","event_id":"from_the_failed_step","session":{}}""");
        await _announcer.EndAsync(1011, "provider_closed", CancellationToken.None);
        _announcer.Discard();
        await Send("""{"type":"session.created","event_id":"from_the_answering_step","session":{}}""");
        await _announcer.AnnounceAsync(Routing, defaultsFollow: false, CancellationToken.None);

        var shown = Assert.Single(_client.Drain());
        Assert.Equal("from_the_answering_step", shown.Json.GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task A_session_ending_while_the_defaults_answer_is_awaited_still_shows_session_created_first()
    {
        await Send("""{"type":"session.created","event_id":"e1","session":{}}""");
        await _announcer.AnnounceAsync(Routing, defaultsFollow: true, CancellationToken.None);
        await _announcer.EndAsync(1011, "provider_closed", CancellationToken.None);

        Assert.Equal(["session.created", "(end)"], _client.Drain().Select(e => e.Type));
    }
}
