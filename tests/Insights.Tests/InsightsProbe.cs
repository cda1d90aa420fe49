using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Insights.Tests;

/// <summary>Waits on what the service reports (no sleeps): a session's quality once it satisfies a condition.</summary>
public static class InsightsProbe
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<SessionQuality> SessionAsync(InsightsServiceFixture fixture, Guid tenant, string session, Func<SessionQuality, bool> done)
    {
        var quality = await Poll.UntilAsync(() => TryGetAsync(fixture, tenant, session), q => q is not null && done(q), Patience);
        Assert.True(quality is not null && done(quality), $"Session {session} never reached the expected state: {quality}");
        return quality;
    }

    public static async Task<SessionQuality?> TryGetAsync(InsightsServiceFixture fixture, Guid tenant, string session)
    {
        try
        {
            return await fixture.Client.GetSessionQualityAsync(new GetSessionQualityRequest { TenantId = tenant.ToString(), SessionId = session });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public static Task<GetSummaryResponse> SummaryAsync(InsightsServiceFixture fixture, Guid tenant, string groupBy = "none", QualityFilter? filter = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        fixture.Client.GetSummaryAsync(new GetSummaryRequest
        {
            TenantId = tenant.ToString(),
            FromUnixMs = (from ?? QualityEvents.Start.AddDays(-1)).ToUnixTimeMilliseconds(),
            ToUnixMs = (to ?? QualityEvents.Start.AddDays(2)).ToUnixTimeMilliseconds(),
            GroupBy = groupBy,
            Filter = filter ?? new QualityFilter(),
        }).ResponseAsync;
}
