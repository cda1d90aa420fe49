using System.Net.WebSockets;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Limits;

/// <summary>The platform with a short idle timeout (10 s, warned 5 s before; a busy machine may take seconds to start a session), so an idle session ends within a test.</summary>
public sealed class ShortIdleTimeoutPlatform : PlatformFixture
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan IdleWarning = TimeSpan.FromSeconds(5);

    protected override Dictionary<string, string?> Environment => new()
    {
        ["Gateway__Realtime__IdleTimeout"] = IdleTimeout.ToString(),
        ["Gateway__Realtime__IdleWarning"] = IdleWarning.ToString(),
    };
}

/// <summary>
/// An abandoned session does not hold a provider connection for hours: after the idle timeout without a client
/// message the client is warned (<c>session.idle_warning</c>), then closed (1000 <c>idle_timeout</c>), and the session
/// is recorded as ended <c>idle</c>. (That any client message starts the wait over is shown on a fake clock in the
/// Gateway's ClientIdleTimerTests.)
/// </summary>
public class IdleTimeoutTests(ShortIdleTimeoutPlatform platform) : IClassFixture<ShortIdleTimeoutPlatform>
{
    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(RealtimeConversationTests.Models), MemberType = typeof(RealtimeConversationTests))]
    public async Task A_session_left_silent_is_warned_then_closed_and_recorded_idle(string model)
    {
        await using var client = await platform.ConnectAsync(model);
        // The idle clock runs from the upgrade; session.created shows the provider session is up behind it.
        var sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");

        var (status, reason, events) = await client.WaitForCloseAsync(Turn);
        var warning = Assert.Single(events, e => e.Type() == "session.idle_warning");
        Assert.InRange(warning.GetProperty("closes_in_ms").GetInt64(), 1, (long)ShortIdleTimeoutPlatform.IdleWarning.TotalMilliseconds);
        Assert.Equal(events.Count - 1, events.IndexOf(warning)); // the last thing before the close
        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("idle_timeout", reason);

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", platform.Endpoints.DevApiKey);
        var endReason = await Poll.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/v1/sessions/{sessionId}");
            if (!response.IsSuccessStatusCode) return null;
            var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return body.TryGetProperty("end_reason", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString() : null;
        }, r => !string.IsNullOrEmpty(r), TimeSpan.FromSeconds(30));
        Assert.Equal("idle", endReason);
    }
}
