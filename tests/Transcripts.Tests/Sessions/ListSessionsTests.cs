using System.Text;
using Grpc.Core;
using Npgsql;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Tests.Sessions;

[Collection(TranscriptsCollection.Name)]
public class ListSessionsTests(TranscriptsServiceFixture fixture)
{
    private static readonly DateTimeOffset Base = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sessions_are_listed_newest_first_with_their_fields()
    {
        var tenant = Guid.NewGuid();
        await fixture.SeedAsync(tenant, [("s-old", Base), ("s-new", Base.AddHours(2)), ("s-mid", Base.AddHours(1))]);

        var response = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString() });

        Assert.Equal(["s-new", "s-mid", "s-old"], response.Sessions.Select(s => s.SessionId));
        Assert.Equal("", response.NextCursor);
        var newest = response.Sessions[0];
        Assert.Equal("gpt-realtime", newest.Model);
        Assert.Equal("openai", newest.Provider);
        Assert.Equal(Base.AddHours(2).ToUnixTimeMilliseconds(), newest.StartedAtUnixMs);
        Assert.Equal(Base.AddHours(2).AddMinutes(3).ToUnixTimeMilliseconds(), newest.EndedAtUnixMs);
        Assert.Equal("client_closed", newest.EndReason);
    }

    [Fact]
    public async Task Pages_of_two_walk_five_sessions_in_three_pages_without_duplicates_or_gaps()
    {
        var tenant = Guid.NewGuid();
        // Two sessions share a start time (to the microsecond): the cursor must break the tie by session id.
        var seeded = new (string, DateTimeOffset)[]
        {
            ("p-1", Base.AddMinutes(1)),
            ("p-2", Base.AddMinutes(2).AddTicks(10)),
            ("p-3a", Base.AddMinutes(3)),
            ("p-3b", Base.AddMinutes(3)),
            ("p-5", Base.AddMinutes(5)),
        };
        await fixture.SeedAsync(tenant, seeded);

        var pages = new List<ListSessionsResponse>();
        var cursor = "";
        do
        {
            var page = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString(), PageSize = 2, Cursor = cursor });
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 5, "pagination does not terminate");
        } while (cursor != "");

        Assert.Equal([2, 2, 1], pages.Select(p => p.Sessions.Count));
        Assert.All(pages.Take(2), p => Assert.NotEqual("", p.NextCursor));
        Assert.Equal("", pages[^1].NextCursor);
        Assert.Equal(["p-5", "p-3b", "p-3a", "p-2", "p-1"], pages.SelectMany(p => p.Sessions).Select(s => s.SessionId));
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_session_has_no_next_cursor()
    {
        var tenant = Guid.NewGuid();
        await fixture.SeedAsync(tenant, [("e-1", Base), ("e-2", Base.AddSeconds(1))]);

        var page = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString(), PageSize = 2 });

        Assert.Equal(2, page.Sessions.Count);
        Assert.Equal("", page.NextCursor);
    }

    [Fact]
    public async Task Tenants_see_only_their_own_sessions()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        await fixture.SeedAsync(alice, [("alice-1", Base), ("alice-2", Base.AddMinutes(1))]);
        await fixture.SeedAsync(bob, [("bob-1", Base.AddMinutes(2))]);

        var forAlice = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = alice.ToString() });
        var forBob = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = bob.ToString() });
        var forNobody = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = Guid.NewGuid().ToString() });

        Assert.Equal(["alice-2", "alice-1"], forAlice.Sessions.Select(s => s.SessionId));
        Assert.Equal(["bob-1"], forBob.Sessions.Select(s => s.SessionId));
        Assert.Empty(forNobody.Sessions);

        // A cursor taken from one tenant's listing does not leak another tenant's rows either.
        var alicePage = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = alice.ToString(), PageSize = 1 });
        var bobWithAliceCursor = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = bob.ToString(), Cursor = alicePage.NextCursor });
        Assert.DoesNotContain(bobWithAliceCursor.Sessions, s => s.SessionId.StartsWith("alice", StringComparison.Ordinal));
    }

    public static TheoryData<string> InvalidCursors => new()
    {
        "not base64!",
        Convert.ToBase64String(Encoding.UTF8.GetBytes("no separator")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("abc|s-1")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("-5|s-1")),
        // Ticks that do not fit in a long.
        Convert.ToBase64String(Encoding.UTF8.GetBytes("99999999999999999999999|s-1")),
    };

    [Theory]
    [MemberData(nameof(InvalidCursors))]
    public async Task An_invalid_cursor_is_rejected_as_invalid_argument(string cursor)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = Guid.NewGuid().ToString(), Cursor = cursor }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tenant-1")]
    public async Task An_invalid_tenant_id_is_rejected_as_invalid_argument(string tenantId)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenantId }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Page_size_is_capped_at_100_and_defaults_when_unset()
    {
        var tenant = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(fixture.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO sessions (session_id, tenant_id, model, provider, started_at)
                SELECT 'bulk-' || lpad(n::text, 3, '0'), @tenant, 'gemini-live', 'google', @base + n * interval '1 second'
                FROM generate_series(1, 105) AS n
                """, connection);
            insert.Parameters.AddWithValue("tenant", tenant);
            insert.Parameters.AddWithValue("base", Base);
            Assert.Equal(105, await insert.ExecuteNonQueryAsync());
        }

        var huge = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString(), PageSize = 1000 });
        Assert.Equal(100, huge.Sessions.Count);
        Assert.Equal("bulk-105", huge.Sessions[0].SessionId);
        Assert.NotEqual("", huge.NextCursor);

        var rest = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString(), PageSize = 1000, Cursor = huge.NextCursor });
        Assert.Equal(["bulk-005", "bulk-004", "bulk-003", "bulk-002", "bulk-001"], rest.Sessions.Select(s => s.SessionId));
        Assert.Equal("", rest.NextCursor);
        // Ended-less sessions report 0 and an empty reason.
        Assert.Equal(0, rest.Sessions[0].EndedAtUnixMs);
        Assert.Equal("", rest.Sessions[0].EndReason);

        var unset = await fixture.Client.ListSessionsAsync(new ListSessionsRequest { TenantId = tenant.ToString() });
        Assert.Equal(20, unset.Sessions.Count);
        Assert.NotEqual("", unset.NextCursor);
    }
}
