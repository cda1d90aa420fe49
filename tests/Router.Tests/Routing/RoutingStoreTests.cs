using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Definitions;
using VoicePlatform.Router.Routing.Storage;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Routing;

/// <summary>Routes and experiments in the Router's own database (real PostgreSQL), tenant by tenant.</summary>
public class RoutingStoreTests(BackingServicesFixture backing) : IClassFixture<BackingServicesFixture>, IAsyncLifetime
{
    private static readonly ModelDirectory Models = TestModelCatalog.Models;

    private readonly Guid _tenant = Guid.NewGuid();
    private NpgsqlDataSource _dataSource = null!;
    private RouteStore _routes = null!;
    private ExperimentStore _experiments = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("router_routing");
        await new SchemaMigrator(connectionString, typeof(RouteStore).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var options = Options.Create(new RoutingOptions { MaxRoutesPerTenant = 3, MaxExperimentsPerTenant = 3 });
        _routes = new RouteStore(_dataSource, Models, options);
        _experiments = new ExperimentStore(_dataSource, _routes, Models, options);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private const string TwoArms = """
        "arms":[{"name":"control","target":"gpt-realtime-2","weight":50},{"name":"gemini","target":{"model":"gemini-3.1-flash-live"},"weight":50}]
        """;

    [Fact]
    public async Task Routes_are_created_listed_replaced_and_deleted_per_tenant()
    {
        var created = await _routes.CreateAsync(_tenant, Json("""{"name":"support-voice","target":"gpt-realtime-2"}"""), CancellationToken.None);
        Assert.Equal("support-voice", created.Definition.Name);
        var conflict = await Assert.ThrowsAsync<RoutingConflictException>(() => _routes.CreateAsync(_tenant, Json("""{"name":"support-voice","target":"gpt-realtime-2"}"""), CancellationToken.None));
        Assert.Equal("name", conflict.Param);

        var replaced = await _routes.PutAsync(_tenant, "support-voice", Json("""{"target":{"fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}}"""), CancellationToken.None);
        Assert.True(replaced.Definition.Target.IsChain);
        Assert.Equal(["gpt-realtime-2", "gemini-3.1-flash-live"], (await _routes.GetAsync(_tenant, "support-voice", CancellationToken.None)).Definition.Target.Steps.Select(s => s.Model));

        await Assert.ThrowsAsync<RoutingNotFoundException>(() => _routes.GetAsync(Guid.NewGuid(), "support-voice", CancellationToken.None));
        Assert.Empty(await _routes.ListAsync(Guid.NewGuid(), CancellationToken.None));

        await _routes.DeleteAsync(_tenant, "support-voice", CancellationToken.None);
        Assert.Empty(await _routes.ListAsync(_tenant, CancellationToken.None));
        await Assert.ThrowsAsync<RoutingNotFoundException>(() => _routes.DeleteAsync(_tenant, "support-voice", CancellationToken.None));
    }

    [Fact]
    public async Task The_route_limit_holds_and_a_referenced_route_cannot_be_deleted()
    {
        await _routes.CreateAsync(_tenant, Json("""{"name":"a","target":"gpt-realtime-2"}"""), CancellationToken.None);
        await _routes.CreateAsync(_tenant, Json("""{"name":"b","target":"a"}"""), CancellationToken.None);
        await _routes.CreateAsync(_tenant, Json("""{"name":"c","target":"gpt-realtime-2"}"""), CancellationToken.None);
        var limit = await Assert.ThrowsAsync<RoutingError>(() => _routes.CreateAsync(_tenant, Json("""{"name":"d","target":"gpt-realtime-2"}"""), CancellationToken.None));
        Assert.Equal("route_limit_reached", limit.Code);
        await Assert.ThrowsAsync<RoutingConflictException>(() => _routes.DeleteAsync(_tenant, "a", CancellationToken.None));
        var cycle = await Assert.ThrowsAsync<RoutingError>(() => _routes.PutAsync(_tenant, "a", Json("""{"target":"b"}"""), CancellationToken.None));
        Assert.Contains("cycle", cycle.Message);
    }

    [Fact]
    public async Task An_experiment_runs_frozen_one_per_route_and_counts_its_assignments()
    {
        await _routes.CreateAsync(_tenant, Json("""{"name":"support-voice","target":"gpt-realtime-2"}"""), CancellationToken.None);
        var draft = await _experiments.CreateAsync(_tenant, Json($$"""{"name":"gemini-vs-gpt","route":"support-voice",{{TwoArms}}}"""), CancellationToken.None);
        Assert.Equal("draft", draft.Status);
        Assert.StartsWith("exp_", draft.Id);
        var edited = await _experiments.ReplaceAsync(_tenant, draft.Id, Json($$"""{"name":"gemini-vs-gpt","route":"support-voice","traffic_percent":40,{{TwoArms}}}"""), CancellationToken.None);
        Assert.Equal(40, edited.Definition.TrafficPercent);

        var running = await _experiments.ApplyAsync(_tenant, draft.Id, "start", CancellationToken.None);
        Assert.Equal("running", running.Status);
        Assert.NotNull(running.StartedAt);
        await Assert.ThrowsAsync<RoutingConflictException>(() => _experiments.ReplaceAsync(_tenant, draft.Id, Json($$"""{"name":"gemini-vs-gpt","route":"support-voice",{{TwoArms}}}"""), CancellationToken.None));
        await Assert.ThrowsAsync<RoutingConflictException>(() => _routes.DeleteAsync(_tenant, "support-voice", CancellationToken.None));

        var second = await _experiments.CreateAsync(_tenant, Json($$"""{"name":"another","route":"support-voice",{{TwoArms}}}"""), CancellationToken.None);
        var clash = await Assert.ThrowsAsync<RoutingConflictException>(() => _experiments.ApplyAsync(_tenant, second.Id, "start", CancellationToken.None));
        Assert.Contains("already running", clash.Message);

        var reshuffled = await _experiments.ApplyAsync(_tenant, draft.Id, "reshuffle", CancellationToken.None);
        Assert.NotEqual(running.Salt, reshuffled.Salt);
        Assert.Equal("running", reshuffled.Status);

        for (var i = 0; i < 3; i++) await _experiments.RecordAssignmentAsync(draft.Id, "control", CancellationToken.None);
        await _experiments.RecordAssignmentAsync(draft.Id, StoredExperiment.HoldoutArm, CancellationToken.None);
        var counted = await _experiments.GetAsync(_tenant, draft.Id, CancellationToken.None);
        Assert.Equal(3, counted.Assignments["control"]);
        var json = counted.ToJson();
        Assert.Equal(1, json["assignments"]!["holdout"]!.GetValue<long>());
        Assert.Equal(0, json["assignments"]!["arms"]!["gemini"]!.GetValue<long>());

        Assert.Equal("paused", (await _experiments.ApplyAsync(_tenant, draft.Id, "pause", CancellationToken.None)).Status);
        Assert.Equal("stopped", (await _experiments.ApplyAsync(_tenant, draft.Id, "stop", CancellationToken.None)).Status);
        await Assert.ThrowsAsync<RoutingConflictException>(() => _experiments.ApplyAsync(_tenant, draft.Id, "start", CancellationToken.None));
        Assert.Equal("running", (await _experiments.ApplyAsync(_tenant, second.Id, "start", CancellationToken.None)).Status);

        await Assert.ThrowsAsync<RoutingNotFoundException>(() => _experiments.GetAsync(Guid.NewGuid(), draft.Id, CancellationToken.None));
        var taken = await Assert.ThrowsAsync<RoutingConflictException>(() => _experiments.CreateAsync(_tenant, Json($$"""{"name":"another","route":"support-voice",{{TwoArms}}}"""), CancellationToken.None));
        Assert.Equal("name", taken.Param);
    }
}
