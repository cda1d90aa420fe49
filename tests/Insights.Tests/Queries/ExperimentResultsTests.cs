using Grpc.Core;
using VoicePlatform.Contracts.Insights;
using static VoicePlatform.Insights.Tests.QualityEvents;

namespace VoicePlatform.Insights.Tests.Queries;

/// <summary>GetExperimentResults over stored sessions: per-session means and flags into the statistics, by arm.</summary>
[Collection(InsightsCollection.Name)]
public class ExperimentResultsTests(InsightsServiceFixture fixture)
{
    [Fact]
    public async Task Arms_are_compared_with_the_control_on_their_sessions_latencies_and_rates()
    {
        var tenant = Guid.NewGuid();
        var experiment = $"exp_{Guid.NewGuid():N}";
        var sessions = new List<string>();
        // Five sessions per arm: control answers in 100–140 ms, slow in 400–440 ms; one slow session was interrupted.
        for (var i = 0; i < 10; i++)
        {
            var arm = i < 5 ? "control" : "slow";
            var session = NewSession();
            sessions.Add(session);
            var dims = Dims(experiment: experiment, arm: arm);
            await fixture.Bus.Publish(Started(tenant, session, Start, experiment: experiment, arm: arm));
            await fixture.Bus.Publish(Turn(tenant, session, "r1", Start.AddSeconds(1), (arm == "control" ? 100 : 400) + i % 5 * 10, null, dims,
                interrupted: i == 9, interruptedAfterMs: i == 9 ? 200 : null));
        }
        foreach (var session in sessions) await InsightsProbe.SessionAsync(fixture, tenant, session, q => q.TurnDetails.Count == 1 && q.StartedAtUnixMs != 0);

        var request = new GetExperimentResultsRequest { TenantId = tenant.ToString(), ExperimentId = experiment, ControlArm = "control", MinSessionsPerArm = 5 };
        request.Arms.Add(new ExperimentArmWeight { Name = "control", Weight = 1 });
        request.Arms.Add(new ExperimentArmWeight { Name = "slow", Weight = 1 });
        var results = await fixture.Client.GetExperimentResultsAsync(request);

        Assert.Equal(("control", 5), (results.ControlArm, results.MinSessionsPerArm));
        Assert.False(results.SampleRatio.Mismatch);
        var control = results.Arms.Single(a => a.Name == "control");
        Assert.Equal((5, 5L), (control.Sessions, control.Turns));
        Assert.Equal(120, control.Metrics.Single(m => m.Metric == "response_latency_ms").Mean, 9);
        Assert.Empty(control.VersusControl);
        var slow = results.Arms.Single(a => a.Name == "slow");
        var latency = slow.VersusControl.Single(c => c.Metric == "response_latency_ms");
        Assert.Equal(("welch_t", false), (latency.Test, latency.InsufficientData));
        Assert.Equal(300, latency.Difference, 9);
        Assert.Equal(2.5, latency.RelativeLift, 9);
        Assert.True(latency.PValue < 1e-6, $"p = {latency.PValue}");
        var interrupted = slow.Metrics.Single(m => m.Metric == "interrupted");
        Assert.Equal(("rate", 0.2), (interrupted.Kind, interrupted.Mean));
        Assert.Equal("two_proportion_z", slow.VersusControl.Single(c => c.Metric == "interrupted").Test);

        // The service's default minimum (30): every comparison is insufficient data, with no p-value.
        request.MinSessionsPerArm = 0;
        var thin = await fixture.Client.GetExperimentResultsAsync(request);
        Assert.Equal(30, thin.MinSessionsPerArm);
        Assert.All(thin.Arms.Single(a => a.Name == "slow").VersusControl, c => Assert.True(c.InsufficientData && !c.HasPValue));
    }

    [Fact]
    public async Task A_control_that_is_not_an_arm_and_too_few_arms_are_invalid_arguments()
    {
        var request = new GetExperimentResultsRequest { TenantId = Guid.NewGuid().ToString(), ExperimentId = "exp_x", ControlArm = "c" };
        request.Arms.Add(new ExperimentArmWeight { Name = "a", Weight = 1 });
        var tooFew = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetExperimentResultsAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooFew.StatusCode);
        request.Arms.Add(new ExperimentArmWeight { Name = "b", Weight = 1 });
        var unknownControl = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.GetExperimentResultsAsync(request).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "control"), (unknownControl.StatusCode, unknownControl.Trailers.GetValue("param")));
    }
}
