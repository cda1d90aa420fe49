using System.Text;
using System.Text.Json;
using VoicePlatform.Gateway.Realtime;
using VoicePlatform.Gateway.SessionLimits;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>The events the Gateway writes itself have the documented shapes (docs/realtime.md, continuity.md, billing-and-limits.md).</summary>
public sealed class GatewayEventsTests
{
    [Fact]
    public void A_limit_that_ends_the_session_says_so()
    {
        var e = Parse(GatewayEvents.LimitReached(new SessionLimitReached("session_spend", "session_spend_exceeded", "Spent.", "session_spend_cap")));

        Assert.Equal("session.limit_reached", e.GetProperty("type").GetString());
        Assert.StartsWith("event_", e.GetProperty("event_id").GetString());
        Assert.Equal("session_spend", e.GetProperty("limit").GetString());
        Assert.Equal("session_spend_exceeded", e.GetProperty("code").GetString());
        Assert.Equal("Spent.", e.GetProperty("message").GetString());
        Assert.True(e.GetProperty("session_ends").GetBoolean());
        Assert.False(Parse(GatewayEvents.LimitReached(new SessionLimitReached("monthly_budget", "budget_warning", "Soon.", null))).GetProperty("session_ends").GetBoolean());
    }

    [Fact]
    public void A_response_cut_by_a_router_change_ends_failed_with_the_router_failover_code()
    {
        var e = Parse(GatewayEvents.ResponseCutByRouterChange("resp_1"));

        Assert.Equal("response.done", e.GetProperty("type").GetString());
        var response = e.GetProperty("response");
        Assert.Equal("realtime.response", response.GetProperty("object").GetString());
        Assert.Equal("resp_1", response.GetProperty("id").GetString());
        Assert.Equal("failed", response.GetProperty("status").GetString());
        Assert.Equal("failed", response.GetProperty("status_details").GetProperty("type").GetString());
        Assert.Equal("router_failover", response.GetProperty("status_details").GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, response.GetProperty("output").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, response.GetProperty("usage").ValueKind);
    }

    [Fact]
    public void Draining_resumed_and_idle_warning_carry_their_times_and_session()
    {
        var draining = Parse(GatewayEvents.Draining("sess_1", TimeSpan.FromSeconds(5), resumable: true));
        Assert.Equal("session.draining", draining.GetProperty("type").GetString());
        Assert.Equal("sess_1", draining.GetProperty("session_id").GetString());
        Assert.Equal(5000, draining.GetProperty("closes_in_ms").GetInt32());
        Assert.True(draining.GetProperty("resumable").GetBoolean());

        var resumed = Parse(GatewayEvents.Resumed("sess_1"));
        Assert.Equal("session.resumed", resumed.GetProperty("type").GetString());
        Assert.Equal("sess_1", resumed.GetProperty("session_id").GetString());

        var warning = Parse(GatewayEvents.IdleWarning(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30)));
        Assert.Equal("session.idle_warning", warning.GetProperty("type").GetString());
        Assert.Equal(30000, warning.GetProperty("closes_in_ms").GetInt64());
        Assert.Equal("No client message for 270 seconds; the session closes in 30 seconds unless the client sends something.",
            warning.GetProperty("message").GetString());
    }

    [Fact]
    public void Session_created_gets_the_resume_token_and_a_later_session_keeping_everything_else()
    {
        var created = Encoding.UTF8.GetBytes("""{"type":"session.created","event_id":"event_1","session":{"id":"sess_1","voice":"alloy"},"routing":{"model":"m"}}""");

        var withToken = Parse(GatewayEvents.WithResumeToken(created, "sess_1", "rt_secret", TimeSpan.FromMinutes(5)));
        Assert.Equal("event_1", withToken.GetProperty("event_id").GetString());
        Assert.Equal("m", withToken.GetProperty("routing").GetProperty("model").GetString());
        var resume = withToken.GetProperty("resume");
        Assert.Equal("sess_1", resume.GetProperty("session_id").GetString());
        Assert.Equal("rt_secret", resume.GetProperty("token").GetString());
        Assert.Equal(300, resume.GetProperty("window_seconds").GetInt32());

        var updated = Encoding.UTF8.GetBytes("""{"type":"session.updated","event_id":"event_2","session":{"id":"sess_1","voice":"marin"}}""");
        var shown = Parse(GatewayEvents.WithSession(created, updated));
        Assert.Equal("session.created", shown.GetProperty("type").GetString());
        Assert.Equal("event_1", shown.GetProperty("event_id").GetString());
        Assert.Equal("marin", shown.GetProperty("session").GetProperty("voice").GetString());
        Assert.Equal("m", shown.GetProperty("routing").GetProperty("model").GetString());
    }

    private static JsonElement Parse(ReadOnlyMemory<byte> json) => JsonDocument.Parse(json).RootElement.Clone();
}
