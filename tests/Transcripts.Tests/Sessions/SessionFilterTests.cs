using Grpc.Core;
using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Transcripts.Tests.Sessions;

[Collection(TranscriptsCollection.Name)]
public class SessionFilterTests(TranscriptsServiceFixture fixture)
{
    private static readonly DateTimeOffset Base = new(2025, 9, 1, 8, 0, 0, TimeSpan.Zero);

    // Session ids are unique platform-wide: each test seeds its own, named "<prefix>f-N"; listings strip the prefix.
    private readonly string _prefix = $"{Guid.NewGuid():N}-";

    private async Task<Guid> SeedMixAsync()
    {
        var tenant = Guid.NewGuid();
        await fixture.SeedAsync(tenant, [
            new SeededSession(_prefix + "f-1", Base, "gpt-realtime-2", "openai", "client_closed", "control"),
            new SeededSession(_prefix + "f-2", Base.AddHours(1), "gemini-3.1-flash-live", "google", "client_closed", "treatment"),
            new SeededSession(_prefix + "f-3", Base.AddHours(2), "gpt-realtime-2", "openai", "provider_error"),
            new SeededSession(_prefix + "f-4", Base.AddHours(3), "gemini-3.1-flash-live", "google", "timeout", "treatment"),
            new SeededSession(_prefix + "f-5", Base.AddHours(4), "gpt-realtime-2", "openai", "client_closed", "treatment"),
        ]);
        return tenant;
    }

    private async Task<string[]> ListAsync(ListSessionsRequest request) =>
        [.. (await fixture.Client.ListSessionsAsync(request)).Sessions.Select(s => s.SessionId[_prefix.Length..])];

    [Fact]
    public async Task Each_filter_narrows_the_list_and_they_combine()
    {
        var tenant = (await SeedMixAsync()).ToString();
        Assert.Equal(["f-5", "f-3", "f-1"], await ListAsync(new() { TenantId = tenant, Model = "gpt-realtime-2" }));
        Assert.Equal(["f-4", "f-2"], await ListAsync(new() { TenantId = tenant, Provider = "google" }));
        Assert.Equal(["f-3"], await ListAsync(new() { TenantId = tenant, EndReason = "provider_error" }));
        Assert.Equal(["f-5", "f-4", "f-2"], await ListAsync(new() { TenantId = tenant, ExperimentArm = "treatment" }));
        // from inclusive, to exclusive, on the start time.
        Assert.Equal(["f-3", "f-2"], await ListAsync(new()
        {
            TenantId = tenant, FromUnixMs = Base.AddHours(1).ToUnixTimeMilliseconds(), ToUnixMs = Base.AddHours(3).ToUnixTimeMilliseconds(),
        }));
        Assert.Equal(["f-5"], await ListAsync(new() { TenantId = tenant, Model = "gpt-realtime-2", ExperimentArm = "treatment" }));
        Assert.Empty(await ListAsync(new() { TenantId = tenant, Provider = "nobody" }));
    }

    [Fact]
    public async Task Sessions_are_filtered_by_route_experiment_id_and_arm()
    {
        var tenant = Guid.NewGuid();
        await fixture.SeedAsync(tenant, [
            new SeededSession(_prefix + "e-1", Base, ExperimentArm: "control", ExperimentId: "exp_one", Route: "support-voice"),
            new SeededSession(_prefix + "e-2", Base.AddHours(1), ExperimentArm: "treatment", ExperimentId: "exp_one", Route: "support-voice"),
            new SeededSession(_prefix + "e-3", Base.AddHours(2), ExperimentArm: "control", ExperimentId: "exp_two", Route: "sales-voice"),
            new SeededSession(_prefix + "e-4", Base.AddHours(3), Route: "support-voice"),
            new SeededSession(_prefix + "e-5", Base.AddHours(4)),
        ]);
        var id = tenant.ToString();

        Assert.Equal(["e-2", "e-1"], await ListAsync(new() { TenantId = id, ExperimentId = "exp_one" }));
        Assert.Equal(["e-3", "e-1"], await ListAsync(new() { TenantId = id, ExperimentArm = "control" }));
        Assert.Equal(["e-1"], await ListAsync(new() { TenantId = id, ExperimentId = "exp_one", ExperimentArm = "control" }));
        Assert.Equal(["e-4", "e-2", "e-1"], await ListAsync(new() { TenantId = id, Route = "support-voice" }));
        Assert.Empty(await ListAsync(new() { TenantId = id, ExperimentId = "exp_none" }));

        var placed = await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = id, SessionId = _prefix + "e-3" });
        Assert.Equal(("sales-voice", "exp_two", "control"), (placed.Route, placed.ExperimentId, placed.ExperimentArm));
        var plain = await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = id, SessionId = _prefix + "e-5" });
        Assert.Equal(("", "", ""), (plain.Route, plain.ExperimentId, plain.ExperimentArm));
    }

    [Fact]
    public async Task Cursor_pagination_under_a_filter_walks_only_matching_sessions()
    {
        var tenant = (await SeedMixAsync()).ToString();
        var first = await fixture.Client.ListSessionsAsync(new() { TenantId = tenant, Model = "gpt-realtime-2", PageSize = 2 });
        Assert.Equal(["f-5", "f-3"], first.Sessions.Select(s => s.SessionId[_prefix.Length..]));
        var second = await fixture.Client.ListSessionsAsync(new() { TenantId = tenant, Model = "gpt-realtime-2", PageSize = 2, Cursor = first.NextCursor });
        Assert.Equal(["f-1"], second.Sessions.Select(s => s.SessionId[_prefix.Length..]));
        Assert.Equal("", second.NextCursor);
    }

    [Fact]
    public async Task Another_tenants_session_is_not_found_for_metadata_and_transcript()
    {
        var owner = await SeedMixAsync();
        var stranger = Guid.NewGuid().ToString();
        var get = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = stranger, SessionId = _prefix + "f-1" }));
        Assert.Equal(StatusCode.NotFound, get.StatusCode);
        var transcript = await Assert.ThrowsAsync<RpcException>(async () =>
            await fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = stranger, SessionId = _prefix + "f-1" }));
        Assert.Equal(StatusCode.NotFound, transcript.StatusCode);

        var own = await fixture.Client.GetSessionAsync(new GetSessionRequest { TenantId = owner.ToString(), SessionId = _prefix + "f-1" });
        Assert.Equal("control", own.ExperimentArm);
        Assert.Empty((await fixture.Client.GetTranscriptAsync(new GetTranscriptRequest { TenantId = owner.ToString(), SessionId = _prefix + "f-1" })).Segments);
    }
}
