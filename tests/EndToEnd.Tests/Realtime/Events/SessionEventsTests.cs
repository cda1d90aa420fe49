using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using VoicePlatform.AppHost.Platform;
using VoicePlatform.TestSupport;
using VoicePlatform.TestSupport.Realtime;

namespace VoicePlatform.EndToEnd.Tests.Realtime.Events;

/// <summary>
/// A conversation through the whole platform: the Router's session events reach the Transcripts service (ordered
/// segments) and Billing (a cost equal to the catalog price × the tokens the client saw in response.done).
/// </summary>
[Collection(PlatformCollection.Name)]
public class SessionEventsTests(EndToEndPlatform platform)
{
    public static TheoryData<string> Models => new() { "gpt-realtime-2", "gemini-3.1-flash-live" };

    private static readonly TimeSpan Turn = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_conversation_yields_its_transcript_and_its_exact_cost(string model)
    {
        var usages = new List<JsonElement>();
        string sessionId, spokenTranscript, spokenAnswer;
        await using (var client = await platform.ConnectAsync(model))
        {
            sessionId = (await client.ExpectAsync("session.created", Turn)).GetProperty("session").Str("id");
            await client.SendAsync(new
            {
                type = "session.update",
                session = new { type = "realtime", audio = new { input = new { transcription = new { model = "gpt-4o-transcribe" } } } },
            });
            await client.ExpectAsync("session.updated", Turn);

            await RealtimeConversationTests.SendUserTextAsync(client, "Hello there");
            var text = await client.CollectUntilAsync("response.done", Turn);
            usages.Add(text[^1].GetProperty("response").GetProperty("usage").Clone());

            await client.AppendChunkedAsync(TestAudio.Pcm16(TestAudio.Silence(300), TestAudio.Tone(1500), TestAudio.Silence(1500)), 960);
            var spoken = await client.CollectUntilAsync("response.done", Turn);
            usages.Add(spoken[^1].GetProperty("response").GetProperty("usage").Clone());
            spokenAnswer = spoken.Single(e => e.Type() == "response.output_audio_transcript.done").Str("transcript");
            var completed = spoken.FirstOrDefault(e => e.Type() == "conversation.item.input_audio_transcription.completed");
            if (completed.ValueKind == JsonValueKind.Undefined)
                completed = (await client.CollectUntilAsync("conversation.item.input_audio_transcription.completed", Turn))[^1];
            spokenTranscript = completed.Str("transcript");
        }

        using var http = new HttpClient { BaseAddress = new Uri(platform.Endpoints.Gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platform.Endpoints.DevApiKey);

        var segments = await Poll.UntilAsync(async () => await SegmentsAsync(http, sessionId), s => s.Count >= 4, TimeSpan.FromSeconds(60));
        Assert.Equal(
            [("user", "Hello there"), ("assistant", "Echo: Hello there"), ("user", spokenTranscript), ("assistant", spokenAnswer)],
            segments.Select(s => (s.GetProperty("role").GetString()!, s.GetProperty("text").GetString()!)));
        Assert.All(segments, s => Assert.False(s.GetProperty("truncated").GetBoolean()));

        var expected = usages.Sum(u => ExpectedCost(u, Prices(model)));
        Assert.True(expected > 0m);
        var cost = await Poll.UntilAsync(async () => await CostAsync(http, sessionId), c => c == expected, TimeSpan.FromSeconds(60));
        Assert.Equal(expected, cost);
    }

    private static async Task<List<JsonElement>> SegmentsAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/transcript");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.Clone()).ToList();
    }

    private static async Task<decimal?> CostAsync(HttpClient http, string sessionId)
    {
        using var response = await http.GetAsync($"/v1/sessions/{sessionId}/cost");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return decimal.Parse(body.RootElement.GetProperty("cost_usd").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The client's usage priced by hand: provider input counts include the cached tokens, billed at the cached rate.</summary>
    private static decimal ExpectedCost(JsonElement usage, JsonElement price)
    {
        var input = usage.GetProperty("input_token_details");
        var cached = input.GetProperty("cached_tokens_details");
        var output = usage.GetProperty("output_token_details");
        decimal P(string name) => price.GetProperty(name).GetDecimal();
        long N(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        var total =
            (N(input, "audio_tokens") - N(cached, "audio_tokens")) * P("input_audio") + N(cached, "audio_tokens") * P("cached_input_audio")
            + (N(input, "text_tokens") - N(cached, "text_tokens")) * P("input_text") + N(cached, "text_tokens") * P("cached_input_text")
            + (N(input, "image_tokens") - N(cached, "image_tokens")) * P("input_image") + N(cached, "image_tokens") * P("cached_input_image")
            + N(output, "audio_tokens") * P("output_audio") + N(output, "text_tokens") * P("output_text");
        return total / 1_000_000m;
    }

    /// <summary>The model's current per-million prices from the catalog file Billing loads.</summary>
    private static JsonElement Prices(string model)
    {
        var path = Path.Combine(PlatformOptions.FindRepositoryRoot(), "src", "Billing", "Pricing", "prices.json");
        using var catalog = JsonDocument.Parse(File.ReadAllText(path));
        var versions = catalog.RootElement.GetProperty("models").EnumerateArray()
            .Single(m => m.GetProperty("model").GetString() == model).GetProperty("versions").EnumerateArray()
            .Where(v => v.GetProperty("effective_from").GetDateTimeOffset() <= DateTimeOffset.UtcNow)
            .OrderBy(v => v.GetProperty("effective_from").GetDateTimeOffset());
        return versions.Last().GetProperty("per_million_tokens").Clone();
    }
}
