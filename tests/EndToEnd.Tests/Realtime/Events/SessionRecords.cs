using System.Net;
using System.Text.Json;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Events;

/// <summary>What the platform recorded for a session, read through the tenant API: transcript segments and billed usage.</summary>
public static class SessionRecords
{
    public static async Task<List<(string Role, string Text)>> SegmentsAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("segments").EnumerateArray()
            .Select(s => (s.GetProperty("role").GetString()!, s.GetProperty("text").GetString()!)).ToList();
    }

    public static async Task<(long Events, long OutputTokens)> CostAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/cost");
        if (response.StatusCode != HttpStatusCode.OK) return (0, 0);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var tokens = body.RootElement.GetProperty("tokens");
        return (body.RootElement.GetProperty("events").GetInt64(),
            tokens.GetProperty("output_audio").GetInt64() + tokens.GetProperty("output_text").GetInt64());
    }
}
