using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Insights.Ingest;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Aggregation;

/// <summary>Several consumers writing the same hourly bucket row at once lose no count and no sketch value.</summary>
[Collection(InsightsCollection.Name)]
public class ConcurrentIngestTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Eight_writers_on_one_bucket_row_lose_nothing()
    {
        var tenant = Guid.NewGuid();
        var ingest = fixture.Services.GetRequiredService<TurnIngest>();
        const int writers = 8, perWriter = 40;
        // Each writer its own sessions (no shared session lock): they meet only on the bucket row.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                Assert.True(await ingest.RecordAsync(Turn(tenant, $"sess_w{w}_{i}_{tenant:N}", "r", Start.AddSeconds(i), 100 + w, firstTextMs: 50),
                    CancellationToken.None));
        })));

        var group = Assert.Single((await InsightsProbe.SummaryAsync(fixture, tenant)).Groups);
        Assert.Equal(writers * perWriter, group.Turns);
        Assert.Equal(writers * perWriter, group.ResponseLatency.Count);
        Assert.Equal(writers * perWriter, group.FirstTextLatency.Count);
        Assert.Equal(100 + (writers - 1) / 2.0, group.ResponseLatency.MeanMs, 0.5);
    }
}
