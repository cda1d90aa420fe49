using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using VoicePlatform.Contracts.Events;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Gateway.Tests.Transcripts;

/// <summary>Records a session the way the Router will: its three kinds of events on the bus.</summary>
public static class RecordedSession
{
    /// <summary>A short conversation: the user, an interrupted assistant reply, the user again, then the full reply.</summary>
    public static async Task<string> PublishConversationAsync(IBus bus, HttpClient tenantClient, Guid tenant, DateTimeOffset startedAt,
        string model = "gpt-realtime-2", string provider = "openai", string? arm = null, string endReason = "client_closed",
        string? route = null, string? experimentId = null)
    {
        var session = $"sess_{Guid.NewGuid():N}";
        await bus.Publish(new SessionStarted(Guid.NewGuid(), tenant, session, model, provider, arm, "openai-realtime", startedAt, route, experimentId));
        (string Role, string Text, long Start, long End, bool Truncated)[] segments =
        [
            ("user", "What's the status of my refund?", 1_200, 3_450, false),
            ("assistant", "Your refund was issued on Monday and", 4_000, 6_010, true),
            ("user", "Wait, which card?", 5_900, 7_000, false),
            ("assistant", "The card ending in 4242 <Visa> & co.", 7_500, 3_725_001, false),
        ];
        foreach (var (role, text, start, end, truncated) in segments)
            await bus.Publish(new TranscriptSegmentRecorded(Guid.NewGuid(), tenant, session, $"item_{start}", role, text, start, end, model, truncated,
                startedAt.AddMilliseconds(end)));
        await bus.Publish(new SessionEnded(Guid.NewGuid(), tenant, session, startedAt.AddMinutes(62), 3_720_000, endReason));

        // Visible through the API once every event has landed.
        await Poll.UntilAsync(async () =>
        {
            using var response = await tenantClient.GetAsync($"/v1/sessions/{session}/transcript");
            if (!response.IsSuccessStatusCode) return false;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            using var meta = await tenantClient.GetAsync($"/v1/sessions/{session}");
            if (!meta.IsSuccessStatusCode) return false;
            var metadata = await meta.Content.ReadFromJsonAsync<JsonElement>();
            var ended = metadata.GetProperty("end_reason").ValueKind == JsonValueKind.String && metadata.GetProperty("model").GetString() != "";
            return ended && body.GetProperty("segments").GetArrayLength() == segments.Length;
        }, done => done, TimeSpan.FromSeconds(30));
        return session;
    }
}
