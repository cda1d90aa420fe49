using System.Text;
using Microsoft.Extensions.Time.Testing;
using VoicePlatform.Contracts.Realtime;
using VoicePlatform.Router.Routing.Fallback;
using VoicePlatform.Router.Sessions;
using VoicePlatform.Router.Tests.Providers.OpenAI;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Tests.Routing.Fallback;

public class ProviderFailureGuardTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingSink _client = new();
    private readonly List<ProviderFailure> _failures = [];

    private ProviderFailureGuard Guard() => new(_client, _failures.Add, _time);

    private static ReadOnlyMemory<byte> Json(string json) => Encoding.UTF8.GetBytes(json);

    private static ReadOnlyMemory<byte> Error(string type, string code) => new RealtimeErrorEvent(type, code, $"failed: {code}").ToJson();

    [Fact]
    public async Task An_account_error_and_the_close_after_it_reach_neither_the_client_and_report_the_failure()
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Error("insufficient_quota", "insufficient_quota")), CancellationToken.None);
        await guard.EndAsync(RealtimeCloseCodes.InternalError, "emulator fault injection", CancellationToken.None);

        Assert.Empty(_client.Drain());
        var failure = Assert.Single(_failures);
        Assert.Equal("insufficient_quota", failure.Code);
        Assert.Equal(RealtimeCloseCodes.InternalError, failure.CloseStatus);

        // Whatever the failed session still says is not the client's.
        await guard.EventAsync(CanonicalEvent.Read(Json("""{"type":"response.done","response":{"id":"resp_1"}}""")), CancellationToken.None);
        Assert.Empty(_client.Drain());
    }

    [Fact]
    public async Task An_error_about_the_clients_request_passes_at_once()
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Error(RealtimeErrorEvent.InvalidRequest, "conversation_already_has_active_response")), CancellationToken.None);

        Assert.Equal("error", Assert.Single(_client.Drain()).Type);
    }

    [Fact]
    public async Task A_held_error_no_close_follows_reaches_the_client_after_the_hold_limit()
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Error(RealtimeErrorEvent.ServerError, "server_error")), CancellationToken.None);
        Assert.Empty(_client.Drain());

        _time.Advance(ProviderFailureGuard.HoldLimit);
        var error = await _client.NextAsync();
        Assert.Equal("server_error", error.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task A_held_error_goes_out_before_the_next_event_in_order()
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Error(RealtimeErrorEvent.ServerError, "server_error")), CancellationToken.None);
        await guard.EventAsync(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_1"}}""")), CancellationToken.None);

        Assert.Equal(["error", "response.created"], _client.Drain().Select(e => e.Type));
    }

    [Theory]
    [InlineData(RealtimeCloseCodes.Normal)]
    [InlineData(RealtimeCloseCodes.PolicyViolation)]
    public async Task A_normal_or_policy_close_is_the_clients_with_what_was_held(int status)
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Error(RealtimeErrorEvent.ServerError, "server_error")), CancellationToken.None);
        await guard.EndAsync(status, "bye", CancellationToken.None);

        var events = _client.Drain();
        Assert.Equal(["error", "(end)"], events.Select(e => e.Type));
        Assert.Equal(status, events[1].CloseStatus);
        Assert.Empty(_failures);
    }

    [Fact]
    public async Task Open_responses_are_those_created_and_not_done()
    {
        using var guard = Guard();
        await guard.EventAsync(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_1"}}""")), CancellationToken.None);
        await guard.EventAsync(CanonicalEvent.Read(Json("""{"type":"response.done","response":{"id":"resp_1"}}""")), CancellationToken.None);
        await guard.EventAsync(CanonicalEvent.Read(Json("""{"type":"response.created","response":{"id":"resp_2"}}""")), CancellationToken.None);

        Assert.Equal(["resp_2"], guard.OpenResponses);
    }
}
