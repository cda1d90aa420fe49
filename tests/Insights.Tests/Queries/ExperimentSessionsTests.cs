using VoicePlatform.Contracts.Insights;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Queries;

[Collection(InsightsCollection.Name)]
public class ExperimentSessionsTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Each_session_of_the_experiment_with_its_means_and_flags()
    {
        var tenant = Guid.NewGuid();
        var experiment = $"exp_{Guid.NewGuid():N}";
        var control = $"a_{NewSession()}";
        var treatment = $"b_{NewSession()}";
        var elsewhere = NewSession();
        var dims = Dims(experiment: experiment, arm: "control");

        await fixture.Bus.Publish(Started(tenant, control, Start, experiment: experiment, arm: "control"));
        await fixture.Bus.Publish(Turn(tenant, control, "r1", Start.AddSeconds(5), 400, 200, dims));
        await fixture.Bus.Publish(Turn(tenant, control, "r2", Start.AddSeconds(15), 600, null, dims, interrupted: true, interruptedAfterMs: 300));
        await fixture.Bus.Publish(ClientToolCall(tenant, control, "c1", "ok", 100, Start.AddSeconds(8), dims));
        await fixture.Bus.Publish(Connection(tenant, control, "k", Start, 120_000, 2, dims: dims));
        await fixture.Bus.Publish(Priced(tenant, control, 0.30m, Start.AddMinutes(2)));

        await fixture.Bus.Publish(Started(tenant, treatment, Start, experiment: experiment, arm: "treatment"));
        await fixture.Bus.Publish(ServerToolCall(tenant, treatment, "c2", "webhook_error", 50, Start.AddSeconds(3)));
        await fixture.Bus.Publish(Ended(tenant, treatment, Start.AddSeconds(5), 5_000, "provider_error"));
        await fixture.Bus.Publish(Started(tenant, elsewhere, Start, experiment: "exp_other", arm: "control"));

        await InsightsProbe.SessionAsync(fixture, tenant, control, q => q.TurnDetails.Count == 2 && q.ToolCalls.Count == 1 && q.Connections == 1 && q.CostUsd != "");
        await InsightsProbe.SessionAsync(fixture, tenant, treatment, q => q.ToolCalls.Count == 1 && q.EndCategory != "");
        await InsightsProbe.SessionAsync(fixture, tenant, elsewhere, q => q.StartedAtUnixMs != 0);

        var page = await fixture.Client.ListExperimentSessionsAsync(new ListExperimentSessionsRequest { TenantId = tenant.ToString(), ExperimentId = experiment });
        Assert.Equal([control, treatment], page.Sessions.Select(s => s.SessionId));
        var a = page.Sessions[0];
        Assert.Equal("control", a.Arm);
        Assert.Equal(2, a.Turns);
        Assert.Equal(500, a.MeanResponseLatencyMs);
        Assert.Equal(200, a.MeanFirstTextLatencyMs);
        Assert.Equal(100, a.MeanToolLatencyMs);
        Assert.Equal(0.15, a.CostPerMinuteUsd, 9);
        Assert.True(a.Interrupted);
        Assert.False(a.ErrorEnd);
        Assert.False(a.ToolFailure);
        var b = page.Sessions[1];
        Assert.Equal("treatment", b.Arm);
        Assert.Equal(0, b.Turns);
        Assert.False(b.HasMeanResponseLatencyMs);
        Assert.False(b.HasCostPerMinuteUsd);
        Assert.True(b.ErrorEnd);
        Assert.True(b.ToolFailure);
        Assert.False(b.Interrupted);
        Assert.Equal("", page.NextCursor);

        var first = await fixture.Client.ListExperimentSessionsAsync(new ListExperimentSessionsRequest { TenantId = tenant.ToString(), ExperimentId = experiment, PageSize = 1 });
        Assert.Equal([control], first.Sessions.Select(s => s.SessionId));
        var secondPage = new ListExperimentSessionsRequest { TenantId = tenant.ToString(), ExperimentId = experiment, PageSize = 1, Cursor = first.NextCursor };
        var second = await fixture.Client.ListExperimentSessionsAsync(secondPage);
        Assert.Equal([treatment], second.Sessions.Select(s => s.SessionId));
        // Another tenant sees none of them.
        Assert.Empty((await fixture.Client.ListExperimentSessionsAsync(new ListExperimentSessionsRequest { TenantId = Guid.NewGuid().ToString(), ExperimentId = experiment })).Sessions);
    }
}
