using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VoicePlatform.Contracts.Billing;
using VoicePlatform.Contracts.Events;
using static VoicePlatform.Billing.Tests.SessionRouting.SessionRoutingProbe;
using static VoicePlatform.TestSupport.Billing.UsageEvents;

namespace VoicePlatform.Billing.Tests.SessionRouting;

/// <summary>SessionStarted and UsageRecorded through the real bus into Billing's database; usage grouped by experiment arm over gRPC.</summary>
[Collection(BillingCollection.Name)]
public class ArmUsageTests(BillingServiceFixture fixture)
{
    private static readonly DateTimeOffset Oct15 = new(2026, 10, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly LedgerProbe _ledger = new(fixture);
    private readonly SessionRoutingProbe _routing = new(fixture);

    private static string NewExperimentId() => $"exp_{Guid.NewGuid():N}"[..28];

    private static GetUsageRequest October(Guid tenant, string groupBy, string experimentId = "") => new()
    {
        TenantId = tenant.ToString(),
        FromUnixMs = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ToUnixMs = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        GroupBy = groupBy,
        ExperimentId = experimentId,
    };

    /// <summary>
    /// One experiment with two sessions on control, one on treatment and one held out; a session of another experiment and
    /// one on a plain route. Costs: control 0.064 + 0.004 + 0.016, treatment 0.018, holdout 0.032, other 0.32, plain 3.2.
    /// </summary>
    private async Task<(Guid Tenant, string Experiment)> RecordExperimentAsync()
    {
        var tenant = Guid.NewGuid();
        var experiment = NewExperimentId();
        await _routing.RecordAsync(
            Started(tenant, "s1", experiment, "control"),
            Started(tenant, "s2", experiment, "control"),
            Started(tenant, "s3", experiment, "treatment", model: "gemini-3.1-flash-live"),
            Started(tenant, "s4", experiment, "holdout"),
            Started(tenant, "s5", NewExperimentId(), "control", route: "other-route"),
            Started(tenant, "s6", null, null));
        await _ledger.RecordAsync(
            UsageEvent(tenant, "s1", "gpt-realtime-2", Oct15, inputAudio: 1_000, outputAudio: 500, connectionMs: 30_000),
            UsageEvent(tenant, "s1", "gpt-realtime-2", Oct15.AddMinutes(1), inputText: 1_000, connectionMs: 10_000),
            UsageEvent(tenant, "s2", "gpt-realtime-2", Oct15, outputText: 1_000),
            UsageEvent(tenant, "s3", "gemini-3.1-flash-live", Oct15, inputAudio: 2_000, outputAudio: 1_000),
            UsageEvent(tenant, "s4", "gpt-realtime-2", Oct15, inputAudio: 1_000),
            UsageEvent(tenant, "s5", "gpt-realtime-2", Oct15, inputAudio: 10_000),
            UsageEvent(tenant, "s6", "gpt-realtime-2", Oct15, inputAudio: 100_000));
        return (tenant, experiment);
    }

    [Fact]
    public async Task Usage_grouped_by_arm_sums_each_arm_of_the_experiment_with_its_session_count()
    {
        var (tenant, experiment) = await RecordExperimentAsync();

        var byArm = await fixture.Usage.GetUsageAsync(October(tenant, "arm", experiment));

        Assert.Equal("arm", byArm.GroupBy);
        Assert.Equal(experiment, byArm.ExperimentId);
        Assert.Equal(["control", "holdout", "treatment"], byArm.Rows.Select(r => r.Key));
        Assert.Equal(["0.084", "0.032", "0.018"], byArm.Rows.Select(r => r.CostUsd));
        Assert.Equal([2L, 1L, 1L], byArm.Rows.Select(r => r.Sessions));
        Assert.Equal([3L, 1L, 1L], byArm.Rows.Select(r => r.Events));
        var control = byArm.Rows[0];
        Assert.Equal(40_000, control.ConnectionMs);
        Assert.Equal(1_000, control.Tokens.InputAudio);
        Assert.Equal(1_000, control.Tokens.InputText);
        Assert.Equal(500, control.Tokens.OutputAudio);
        Assert.Equal(1_000, control.Tokens.OutputText);
        Assert.Equal(2_000, byArm.Rows[2].Tokens.InputAudio);
        Assert.Equal("0.134", byArm.TotalCostUsd); // the other experiment's and the plain route's sessions are not in it
    }

    [Fact]
    public async Task Usage_grouped_by_route_sums_each_route_and_keys_sessions_without_one_as_empty()
    {
        var (tenant, _) = await RecordExperimentAsync();
        await _routing.RecordAsync(Started(tenant, "direct", null, null, route: null));
        await _ledger.RecordAsync(UsageEvent(tenant, "direct", "gpt-realtime-2", Oct15, inputAudio: 500));

        var byRoute = await fixture.Usage.GetUsageAsync(October(tenant, "route"));

        Assert.Equal("route", byRoute.GroupBy);
        Assert.Equal(["", "other-route", "support-voice"], byRoute.Rows.Select(r => r.Key));
        Assert.Equal(["0.016", "0.32", "3.334"], byRoute.Rows.Select(r => r.CostUsd));
        Assert.Equal([1L, 1L, 5L], byRoute.Rows.Select(r => r.Sessions));
    }

    [Fact]
    public async Task The_experiment_filter_limits_the_other_groupings_to_its_sessions()
    {
        var (tenant, experiment) = await RecordExperimentAsync();

        var byModel = await fixture.Usage.GetUsageAsync(October(tenant, "model", experiment));
        Assert.Equal(["gemini-3.1-flash-live", "gpt-realtime-2"], byModel.Rows.Select(r => r.Key));
        Assert.Equal(["0.018", "0.116"], byModel.Rows.Select(r => r.CostUsd));
        Assert.Equal([1L, 3L], byModel.Rows.Select(r => r.Sessions));

        var bySession = await fixture.Usage.GetUsageAsync(October(tenant, "session", experiment));
        Assert.Equal(["s1", "s2", "s3", "s4"], bySession.Rows.Select(r => r.Key));
        Assert.All(bySession.Rows, r => Assert.Equal(1, r.Sessions));

        var byDay = await fixture.Usage.GetUsageAsync(October(tenant, "day", experiment));
        Assert.Equal("0.134", Assert.Single(byDay.Rows).CostUsd);
        Assert.Equal(4, byDay.Rows[0].Sessions);

        // Without the filter: every session of the tenant.
        var all = await fixture.Usage.GetUsageAsync(October(tenant, "model"));
        Assert.Equal(["0.018", "3.636"], all.Rows.Select(r => r.CostUsd));
        Assert.Equal([1L, 5L], all.Rows.Select(r => r.Sessions));
        Assert.Equal("", all.ExperimentId);
        Assert.Empty((await fixture.Usage.GetUsageAsync(October(tenant, "model", "exp_unknown"))).Rows);
    }

    [Fact]
    public async Task Usage_that_arrives_before_its_SessionStarted_is_grouped_by_arm_once_SessionStarted_arrives()
    {
        var tenant = Guid.NewGuid();
        var experiment = NewExperimentId();
        await _ledger.RecordAsync(UsageEvent(tenant, "early", "gpt-realtime-2", Oct15, inputAudio: 1_000, outputAudio: 500));

        Assert.Empty((await fixture.Usage.GetUsageAsync(October(tenant, "arm", experiment))).Rows);

        await _routing.RecordAsync(Started(tenant, "early", experiment, "treatment"));
        // Usage after SessionStarted joins the same group.
        await _ledger.RecordAsync(UsageEvent(tenant, "early", "gpt-realtime-2", Oct15.AddMinutes(5), outputText: 1_000));

        var byArm = await fixture.Usage.GetUsageAsync(October(tenant, "arm", experiment));
        var treatment = Assert.Single(byArm.Rows);
        Assert.Equal("treatment", treatment.Key);
        Assert.Equal("0.08", treatment.CostUsd); // 0.064 before + 0.016 after
        Assert.Equal(2, treatment.Events);
        Assert.Equal(1, treatment.Sessions);
    }

    [Fact]
    public async Task A_redelivered_or_duplicated_SessionStarted_changes_nothing()
    {
        var tenant = Guid.NewGuid();
        var experiment = NewExperimentId();
        var started = Started(tenant, "dup", experiment, "control");
        var observer = new DeliveryObserver<SessionStarted>(s => s.TenantId == tenant);
        using var _ = fixture.Factory.Services.GetRequiredService<IBus>().ConnectConsumeObserver(observer);

        await _routing.RecordAsync(started);
        await _routing.PublishAsync(started); // a redelivery: same event id
        // A duplicate with another event id and other data (a replay after a resume, a bug upstream) does not move the session.
        await _routing.PublishAsync(started with { EventId = Guid.NewGuid(), ExperimentArm = "treatment", ExperimentId = NewExperimentId() });

        // Every delivery succeeded (a duplicate is not a failure to retry and dead-letter), and the first one stands.
        await observer.WaitForConsumedAsync(3, TimeSpan.FromSeconds(20));
        Assert.Empty(observer.Faults);
        Assert.Equal(1, await _routing.CountAsync(tenant));
        Assert.Equal(new RoutingRow("support-voice", experiment, "control", "gpt-realtime-2", started.EventId), await _routing.FindAsync(tenant, "dup"));

        await _ledger.RecordAsync(UsageEvent(tenant, "dup", "gpt-realtime-2", Oct15, inputAudio: 1_000));
        Assert.Equal("control", Assert.Single((await fixture.Usage.GetUsageAsync(October(tenant, "arm", experiment))).Rows).Key);
    }

    [Fact]
    public async Task Another_tenants_sessions_are_not_in_an_experiments_usage()
    {
        var (owner, experiment) = await RecordExperimentAsync();
        var other = Guid.NewGuid();
        // The other tenant reuses a session id of the owner's: its routing stays its own.
        await _routing.RecordAsync(Started(other, "s1", experiment, "treatment"));
        await _ledger.RecordAsync(UsageEvent(other, "s1", "gpt-realtime-2", Oct15, inputAudio: 1_000));

        Assert.Equal("0.084", (await fixture.Usage.GetUsageAsync(October(owner, "arm", experiment))).Rows[0].CostUsd);
        var theirs = await fixture.Usage.GetUsageAsync(October(other, "arm", experiment));
        Assert.Equal("treatment", Assert.Single(theirs.Rows).Key);
        Assert.Equal("0.032", theirs.TotalCostUsd);
    }

    [Fact]
    public async Task Grouping_by_arm_without_an_experiment_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Usage.GetUsageAsync(October(Guid.NewGuid(), "arm")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("experiment", error.Status.Detail);
    }
}
