using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.TestSupport;
using static VoicePlatform.Transcripts.Tests.Consumers.TranscriptEvents;

namespace VoicePlatform.Transcripts.Tests.Search;

[Collection(TranscriptsCollection.Name)]
public class SearchTests(TranscriptsServiceFixture fixture)
{
    private async Task SeedSegmentsAsync(Guid tenant, string session, params string[] texts)
    {
        for (var i = 0; i < texts.Length; i++)
            await fixture.Bus.Publish(Segment(tenant, session, i % 2 == 0 ? "user" : "assistant", texts[i], i * 2_000, i * 2_000 + 1_500, truncated: i == 1));
        await Poll.UntilAsync(
            () => fixture.CountAsync("SELECT count(*) FROM segments WHERE session_id = @s", p => p.AddWithValue("s", session)),
            n => n == texts.Length, TimeSpan.FromSeconds(30));
    }

    private Task<SearchTranscriptsResponse> SearchAsync(Guid tenant, string query, int pageSize = 0, string cursor = "") =>
        fixture.Client.SearchTranscriptsAsync(new SearchTranscriptsRequest { TenantId = tenant.ToString(), Query = query, PageSize = pageSize, Cursor = cursor }).ResponseAsync;

    [Fact]
    public async Task A_phrase_is_found_with_a_highlighted_snippet_and_its_place_in_the_session()
    {
        var tenant = Guid.NewGuid();
        var session = $"sess_{Guid.NewGuid():N}";
        await SeedSegmentsAsync(tenant, session,
            "I would like to check my order status please",
            "Your refund was issued yesterday and should arrive soon",
            "The order arrived broken");

        var hits = await SearchAsync(tenant, "\"refund was issued\"");
        var hit = Assert.Single(hits.Hits);
        Assert.Equal(session, hit.SessionId);
        Assert.Equal("assistant", hit.Role);
        Assert.Equal(2_000, hit.StartMs);
        Assert.Equal(3_500, hit.EndMs);
        Assert.True(hit.Truncated);
        Assert.Contains("<mark>refund</mark>", hit.Snippet);
        Assert.Contains("<mark>issued</mark>", hit.Snippet);

        // Words (stemmed: "orders" finds "order"), newest first; exclusion with -.
        Assert.Equal([4_000, 0], (await SearchAsync(tenant, "orders")).Hits.Select(h => h.StartMs));
        Assert.Equal([0], (await SearchAsync(tenant, "order -broken")).Hits.Select(h => h.StartMs));
        Assert.Empty((await SearchAsync(tenant, "\"order refund\"")).Hits);
    }

    [Fact]
    public async Task Search_is_tenant_scoped()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        await SeedSegmentsAsync(alice, $"sess_{Guid.NewGuid():N}", "the secret password is zebracorn");
        await SeedSegmentsAsync(bob, $"sess_{Guid.NewGuid():N}", "nothing to see");

        Assert.Single((await SearchAsync(alice, "zebracorn")).Hits);
        Assert.Empty((await SearchAsync(bob, "zebracorn")).Hits);
    }

    [Fact]
    public async Task Results_page_with_a_cursor_without_gaps_or_duplicates()
    {
        var tenant = Guid.NewGuid();
        await SeedSegmentsAsync(tenant, $"sess_{Guid.NewGuid():N}", [.. Enumerable.Range(0, 5).Select(i => $"weather report number {i}")]);

        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        do
        {
            var page = await SearchAsync(tenant, "weather", 2, cursor);
            seen.AddRange(page.Hits.Select(h => h.SegmentId));
            cursor = page.NextCursor;
            Assert.True(++pages <= 5);
        } while (cursor != "");
        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task An_empty_query_is_invalid()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => SearchAsync(Guid.NewGuid(), "  "));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
