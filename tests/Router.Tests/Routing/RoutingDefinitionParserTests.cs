using System.Text.Json;
using VoicePlatform.ModelCatalog;
using VoicePlatform.Router.Routing.Definitions;

namespace VoicePlatform.Router.Tests.Routing;

/// <summary>Route and experiment bodies: what is accepted, and a clear error naming the field for what is not.</summary>
public class RoutingDefinitionParserTests
{
    private static readonly ModelDirectory Models = TestModelCatalog.Models;

    private readonly Dictionary<string, RouteDefinition> _routes = [];

    private RoutingCatalog Catalog => new(Models, name => _routes.GetValueOrDefault(name));

    private RouteDefinition Route(string json, string? name = null) => RoutingDefinitionParser.ParseRoute(JsonDocument.Parse(json).RootElement, Catalog, name);

    private ExperimentDefinition Experiment(string json) => RoutingDefinitionParser.ParseExperiment(JsonDocument.Parse(json).RootElement, Catalog);

    [Fact]
    public void A_route_to_one_model_with_session_defaults()
    {
        var route = Route("""{"name":"support-voice","description":"Support line","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief.","audio":{"output":{"voice":"marin"}}}}}""");
        Assert.Equal(("support-voice", "gpt-realtime-2", false), (route.Name, route.Target.Model, route.Target.IsChain));
        Assert.Equal("Be brief.", route.Target.Session!["instructions"]!.GetValue<string>());
        Assert.Equal("""{"object":"route","name":"support-voice","description":"Support line","target":{"model":"gpt-realtime-2","session":{"instructions":"Be brief.","audio":{"output":{"voice":"marin"}}}}}""",
            route.ToJson().ToJsonString());
    }

    [Fact]
    public void A_route_to_a_fallback_chain_and_a_route_to_a_route()
    {
        var chain = Route("""{"name":"resilient","target":{"fallback":["gpt-realtime-2",{"model":"gemini-3.1-flash-live","session":{"instructions":"x"}}]}}""");
        Assert.Equal(["gpt-realtime-2", "gemini-3.1-flash-live"], chain.Target.Steps.Select(s => s.Model));
        _routes["resilient"] = chain;
        Assert.Equal("resilient", Route("""{"name":"alias","target":"resilient"}""").Target.Model);
    }

    [Theory]
    [InlineData("""{"target":"gpt-realtime-2"}""", "missing_required_parameter", "name")]
    [InlineData("""{"name":"Support","target":"gpt-realtime-2"}""", "invalid_value", "name")]
    [InlineData("""{"name":"gpt-realtime-2","target":"gpt-realtime-2"}""", "invalid_value", "name")]
    [InlineData("""{"name":"openai.x","target":"gpt-nope"}""", "invalid_value", "target")]
    [InlineData("""{"name":"r","target":{"model":"gpt-nope"}}""", "invalid_value", "target.model")]
    [InlineData("""{"name":"r","target":{"fallback":["gpt-realtime-2"]}}""", "invalid_value", "target.fallback")]
    [InlineData("""{"name":"r","target":{"fallback":["gpt-realtime-2",{"fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}]}}""", "unknown_parameter", "target.fallback[1].fallback")]
    [InlineData("""{"name":"r","target":{"model":"gpt-realtime-2","fallback":["gpt-realtime-2","gemini-3.1-flash-live"]}}""", "invalid_value", "target.fallback")]
    [InlineData("""{"name":"r","target":{"model":"mute-model","session":{"tools":[{"type":"function","name":"f"}]}}}""", "invalid_value", "target.session.tools")]
    [InlineData("""{"name":"r","target":{"model":"gemini-3.1-flash-live","session":{"output_modalities":["text"]}}}""", "invalid_value", "target.session.output_modalities")]
    [InlineData("""{"name":"r","target":{"model":"mute-model","session":{"audio":{"input":{"transcription":{"model":"whisper-1"}}}}}}""", "invalid_value", "target.session.audio.input.transcription")]
    [InlineData("""{"name":"r","target":{"model":"gpt-realtime-2","session":{"model":"gemini-3.1-flash-live"}}}""", "invalid_value", "target.session.model")]
    [InlineData("""{"name":"r","target":{"model":"gpt-realtime-2","session":"fast"}}""", "invalid_type", "target.session")]
    [InlineData("""{"name":"r","target":5}""", "invalid_type", "target")]
    [InlineData("""{"name":"r","target":"gpt-realtime-2","weight":1}""", "unknown_parameter", "weight")]
    public void Bad_routes_name_the_field(string json, string code, string param)
    {
        var error = Assert.Throws<RoutingError>(() => Route(json));
        Assert.Equal((code, param), (error.Code, error.Param));
    }

    [Fact]
    public void A_route_that_leads_back_to_itself_is_a_cycle()
    {
        _routes["a"] = Route("""{"name":"a","target":"gpt-realtime-2"}""");
        _routes["b"] = Route("""{"name":"b","target":"a"}""");
        var error = Assert.Throws<RoutingError>(() => Route("""{"name":"a","target":"b"}""", "a"));
        Assert.Equal(("invalid_value", "target"), (error.Code, error.Param));
        Assert.Contains("cycle", error.Message);
        Assert.Equal("invalid_value", Assert.Throws<RoutingError>(() => Route("""{"name":"b","target":"gpt-realtime-2"}""", "a")).Code);
    }

    [Fact]
    public void An_experiment_with_two_weighted_arms()
    {
        _routes["support-voice"] = Route("""{"name":"support-voice","target":"gpt-realtime-2"}""");
        var experiment = Experiment("""
            { "name": "gemini-vs-gpt", "route": "support-voice",
              "arms": [ {"name": "control", "target": {"model": "gpt-realtime-2"}, "weight": 50},
                        {"name": "gemini",  "target": {"model": "gemini-3.1-flash-live", "session": {"instructions": "Hi"}}, "weight": 50} ],
              "traffic_percent": 100, "subject": "user" }
            """);
        Assert.Equal(["control", "gemini"], experiment.Arms.Select(a => a.Name));
        Assert.Equal([50, 50], experiment.Arms.Select(a => a.Weight));
        Assert.Equal((100, "user"), (experiment.TrafficPercent, experiment.Subject));
    }

    [Theory]
    [InlineData("""{"name":"e","route":"nope","arms":[]}""", "invalid_value", "route")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "arms")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","target":"gpt-realtime-2","weight":1},{"name":"a","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "arms[1].name")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","target":"gpt-realtime-2","weight":0},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "arms[0].weight")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","target":"gpt-realtime-2","weight":1.5},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "arms[0].weight")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","target":"gpt-nope","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "arms[0].target")]
    [InlineData("""{"name":"e","route":"r","arms":[{"name":"a","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "missing_required_parameter", "arms[0].target")]
    [InlineData("""{"name":"e","route":"r","traffic_percent":0,"arms":[{"name":"a","target":"gpt-realtime-2","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "traffic_percent")]
    [InlineData("""{"name":"e","route":"r","traffic_percent":101,"arms":[{"name":"a","target":"gpt-realtime-2","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "traffic_percent")]
    [InlineData("""{"name":"e","route":"r","subject":"device","arms":[{"name":"a","target":"gpt-realtime-2","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "invalid_value", "subject")]
    [InlineData("""{"name":"e","arms":[{"name":"a","target":"gpt-realtime-2","weight":1},{"name":"b","target":"gpt-realtime-2","weight":1}]}""", "missing_required_parameter", "route")]
    public void Bad_experiments_name_the_field(string json, string code, string param)
    {
        _routes["r"] = Route("""{"name":"r","target":"gpt-realtime-2"}""");
        var error = Assert.Throws<RoutingError>(() => Experiment(json));
        Assert.Equal((code, param), (error.Code, error.Param));
    }

    [Fact]
    public void Nine_arms_are_too_many()
    {
        _routes["r"] = Route("""{"name":"r","target":"gpt-realtime-2"}""");
        var arms = string.Join(",", Enumerable.Range(0, 9).Select(i => $$"""{"name":"a{{i}}","target":"gpt-realtime-2","weight":1}"""));
        Assert.Equal("arms", Assert.Throws<RoutingError>(() => Experiment($$"""{"name":"e","route":"r","arms":[{{arms}}]}""")).Param);
    }
}
