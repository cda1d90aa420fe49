using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using VoicePlatform.Router.Routing.Experiments;
using VoicePlatform.Router.Routing.Resolution;
using VoicePlatform.Router.Routing.Storage;
using VoicePlatform.ServiceDefaults.Integrations.Postgres;
using VoicePlatform.TestSupport;

namespace VoicePlatform.Router.Tests.Routing;

/// <summary>Model names to targets: catalog models, routes, references, running experiments, and changes seen by every Router.</summary>
public class RouteResolverTests(BackingServicesFixture backing) : IClassFixture<BackingServicesFixture>, IAsyncLifetime
{
    private readonly Guid _tenant = Guid.NewGuid();
    private readonly IOptions<RoutingOptions> _options = Options.Create(new RoutingOptions { CacheLifetime = TimeSpan.FromHours(1) });
    private NpgsqlDataSource _dataSource = null!;
    private ConnectionMultiplexer _redis = null!;
    private RouteStore _routes = null!;
    private ExperimentStore _experiments = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await backing.Services.CreateDatabaseAsync("router_resolution");
        await new SchemaMigrator(connectionString, typeof(RouteStore).Assembly).MigrateAsync(NullLogger.Instance, CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _redis = await ConnectionMultiplexer.ConnectAsync(backing.Services.RedisConnectionString);
        _routes = new RouteStore(_dataSource, TestModelCatalog.Models, _options);
        _experiments = new ExperimentStore(_dataSource, _routes, TestModelCatalog.Models, _options);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<(RoutingCache Cache, RouteResolver Resolver)> RouterAsync()
    {
        var cache = new RoutingCache(_routes, _experiments, _redis, _options, TimeProvider.System, NullLogger<RoutingCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        return (cache, new RouteResolver(TestModelCatalog.Models, cache, _experiments, NullLogger<RouteResolver>.Instance));
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Catalog_models_stand_for_themselves_and_unknown_names_resolve_to_nothing()
    {
        var (_, resolver) = await RouterAsync();
        var model = await resolver.ResolveAsync(_tenant, "openai/gpt-realtime-2", null, "sess_1", CancellationToken.None);
        Assert.Equal(("gpt-realtime-2", null), (Assert.Single(model!.Steps).Model.Id, model.Route));
        Assert.Null(await resolver.ResolveAsync(_tenant, "no-such-route", null, "sess_1", CancellationToken.None));
    }

    [Fact]
    public async Task A_route_reference_layers_session_defaults_with_the_referring_ones_winning()
    {
        await _routes.CreateAsync(_tenant, Json("""{"name":"base","target":{"fallback":[{"model":"gpt-realtime-2","session":{"instructions":"base","audio":{"output":{"voice":"marin","speed":1.1}}}},"gemini-3.1-flash-live"]}}"""), CancellationToken.None);
        await _routes.CreateAsync(_tenant, Json("""{"name":"support","target":{"model":"base","session":{"audio":{"output":{"voice":"cedar"}}}}}"""), CancellationToken.None);
        var (_, resolver) = await RouterAsync();
        var resolved = (await resolver.ResolveAsync(_tenant, "support", null, "sess_1", CancellationToken.None))!;
        Assert.Equal("support", resolved.Route);
        Assert.Equal(["gpt-realtime-2", "gemini-3.1-flash-live"], resolved.Steps.Select(s => s.Model.Id));
        // PostgreSQL's jsonb keeps its own key order: compare as JSON.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"instructions":"base","audio":{"output":{"voice":"cedar","speed":1.1}}}"""), resolved.Steps[0].SessionDefaults),
            resolved.Steps[0].SessionDefaults!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"audio":{"output":{"voice":"cedar"}}}"""), resolved.Steps[1].SessionDefaults));
    }

    [Fact]
    public async Task A_running_experiment_sends_each_subject_to_its_arm_and_counts_it()
    {
        await _routes.CreateAsync(_tenant, Json("""{"name":"support-voice","target":"gpt-realtime-2"}"""), CancellationToken.None);
        var experiment = await _experiments.CreateAsync(_tenant, Json("""
            {"name":"ab","route":"support-voice","traffic_percent":50,
             "arms":[{"name":"control","target":"gpt-realtime-2","weight":50},{"name":"gemini","target":{"model":"gemini-3.1-flash-live","session":{"instructions":"g"}},"weight":50}]}
            """), CancellationToken.None);
        experiment = await _experiments.ApplyAsync(_tenant, experiment.Id, "start", CancellationToken.None);
        var (_, resolver) = await RouterAsync();

        var placed = new Dictionary<string, long>();
        for (var i = 0; i < 40; i++)
        {
            var subject = $"user-{i}";
            var resolved = (await resolver.ResolveAsync(_tenant, "support-voice", subject, $"sess_{i}", CancellationToken.None))!;
            var expected = ExperimentAssignment.Assign(_tenant.ToString(), experiment.Id, experiment.Salt, subject, [50, 50], 50);
            var arm = expected is { } index ? experiment.Definition.Arms[index].Name : StoredExperiment.HoldoutArm;
            Assert.Equal((experiment.Id, arm), (resolved.Experiment!.ExperimentId, resolved.Experiment.Arm));
            Assert.Equal(arm == "gemini" ? "gemini-3.1-flash-live" : "gpt-realtime-2", Assert.Single(resolved.Steps).Model.Id);
            // The same subject in another session lands in the same arm.
            Assert.Equal(arm, (await resolver.ResolveAsync(_tenant, "support-voice", subject, $"sess_again_{i}", CancellationToken.None))!.Experiment!.Arm);
            placed[arm] = placed.GetValueOrDefault(arm) + 2L;
        }
        var counts = (await _experiments.GetAsync(_tenant, experiment.Id, CancellationToken.None)).Assignments;
        Assert.Equal(placed.OrderBy(p => p.Key), counts.OrderBy(c => c.Key));
        Assert.Equal(3, placed.Count); // control, gemini and holdout all occur among 40 subjects at 50 % traffic
    }

    [Fact]
    public async Task A_change_through_one_Router_reaches_the_others_at_once()
    {
        var (first, _) = await RouterAsync();
        var (_, secondResolver) = await RouterAsync();
        await _routes.CreateAsync(_tenant, Json("""{"name":"moving","target":"gpt-realtime-2"}"""), CancellationToken.None);
        await first.ChangedAsync(_tenant);
        Assert.Equal("gpt-realtime-2", (await Poll.UntilAsync(() => secondResolver.ResolveAsync(_tenant, "moving", null, "s", CancellationToken.None),
            r => r is not null, TimeSpan.FromSeconds(5)))!.Steps[0].Model.Id);

        await _routes.PutAsync(_tenant, "moving", Json("""{"target":"gemini-3.1-flash-live"}"""), CancellationToken.None);
        await first.ChangedAsync(_tenant);
        var moved = await Poll.UntilAsync(() => secondResolver.ResolveAsync(_tenant, "moving", null, "s", CancellationToken.None),
            r => r?.Steps[0].Model.Id == "gemini-3.1-flash-live", TimeSpan.FromSeconds(5));
        Assert.Equal("gemini-3.1-flash-live", moved!.Steps[0].Model.Id);
    }

    [Fact]
    public void Layering_keeps_inner_fields_and_lets_outer_ones_win()
    {
        var inner = JsonNode.Parse("""{"a":1,"o":{"x":1,"y":1}}""")!.AsObject();
        var outer = JsonNode.Parse("""{"b":2,"o":{"y":2}}""")!.AsObject();
        Assert.Equal("""{"a":1,"o":{"x":1,"y":2},"b":2}""", RouteResolver.Layer(inner, outer)!.ToJsonString());
        Assert.Null(RouteResolver.Layer(null, null));
    }
}
