using System.Text.Json;
using Microsoft.Extensions.Options;
using VoicePlatform.Gateway.Models;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Gateway.Tests.Models;

/// <summary>A model its provider retired (<c>ReplacedBy</c>) keeps resolving, to its replacement, and says so in /v1/models.</summary>
public sealed class ModelReplacementTests
{
    private static ModelDirectory Catalog(params CatalogModel[] models) =>
        new(new StaticOptionsMonitor(new ModelCatalogOptions { Models = [.. models] }));

    private static CatalogModel Model(string id, string? replacedBy = null) =>
        new() { Id = id, Provider = "openai", UpstreamModel = id, ReplacedBy = replacedBy };

    [Fact]
    public void A_retired_model_resolves_to_its_replacement_by_either_name_and_is_told_apart()
    {
        var catalog = Catalog(Model("gpt-realtime-old", replacedBy: "gpt-realtime-new"), Model("gpt-realtime-new"));

        Assert.True(catalog.TryResolve("gpt-realtime-old", out var served));
        Assert.Equal("gpt-realtime-new", served.Id);
        Assert.True(catalog.TryResolve("openai/gpt-realtime-old", out served));
        Assert.Equal("gpt-realtime-new", served.Id);

        Assert.True(catalog.TryFindRetired("gpt-realtime-old", out var retired));
        Assert.Equal("gpt-realtime-old", retired.Id);
        Assert.False(catalog.TryFindRetired("gpt-realtime-new", out _));
        Assert.False(catalog.TryFindRetired("no-such-model", out _));
    }

    [Fact]
    public void Replacements_chain_and_a_cycle_or_a_missing_replacement_resolves_nothing()
    {
        var chained = Catalog(Model("a", "b"), Model("b", "c"), Model("c"));
        Assert.True(chained.TryResolve("a", out var served));
        Assert.Equal("c", served.Id);

        var cycle = Catalog(Model("a", "b"), Model("b", "a"));
        Assert.False(cycle.TryResolve("a", out _));

        var dangling = Catalog(Model("a", "gone"));
        Assert.False(dangling.TryResolve("a", out _));
    }

    [Fact]
    public void The_model_list_marks_a_retired_model_deprecated_and_names_its_replacement()
    {
        var listed = JsonSerializer.SerializeToElement(ModelResponse.From(Model("gpt-realtime-old", replacedBy: "gpt-realtime-new")));
        Assert.Equal("deprecated", listed.GetProperty("lifecycle").GetString());
        Assert.Equal("gpt-realtime-new", listed.GetProperty("replaced_by").GetString());

        var current = JsonSerializer.SerializeToElement(ModelResponse.From(Model("gpt-realtime-new")));
        Assert.False(current.TryGetProperty("replaced_by", out _));
        Assert.False(current.TryGetProperty("lifecycle", out _));
    }

    [Fact]
    public void A_deployment_lists_as_its_own_model_with_the_served_model_s_capabilities_and_prices_and_is_priced_as_it()
    {
        var served = Model("gpt-realtime-2.1");
        served.Capabilities.Reasoning = true;
        served.Limits.ProviderSessionMinutes = 60;
        served.PricesPerMillionTokens["audio_output"] = 64m;
        var options = new ModelCatalogOptions
        {
            Models = [served],
            Deployments =
            [
                new ModelDeployment { Id = "azure-gpt-realtime-2.1", Provider = "azure", Model = "gpt-realtime-2.1", UpstreamModel = "contoso-rt", ProviderSessionMinutes = 30 },
                new ModelDeployment { Id = "typo", Provider = "azure", Model = "gpt-realtime-9" },
            ],
        };
        var catalog = new ModelDirectory(new StaticOptionsMonitor(options));

        Assert.True(catalog.TryResolve("azure-gpt-realtime-2.1", out var deployment));
        Assert.True(catalog.TryResolve("azure/azure-gpt-realtime-2.1", out _));
        Assert.Equal(("azure", "contoso-rt", "gpt-realtime-2.1"), (deployment.Provider, deployment.UpstreamModel, deployment.PricedAs));
        Assert.True(deployment.Capabilities.Reasoning);
        Assert.Equal(30, deployment.Limits.ProviderSessionMinutes);
        Assert.Equal(64m, deployment.PricesPerMillionTokens["audio_output"]);
        Assert.Equal("gpt-realtime-2.1", served.PricedAs);

        Assert.False(catalog.TryResolve("typo", out _));
        Assert.Equal(["ModelCatalog:Deployments 'typo' serves 'gpt-realtime-9', which is not a catalog model"], options.InvalidDeployments());
    }

    private sealed class StaticOptionsMonitor(ModelCatalogOptions value) : IOptionsMonitor<ModelCatalogOptions>
    {
        public ModelCatalogOptions CurrentValue => value;
        public ModelCatalogOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ModelCatalogOptions, string?> listener) => null;
    }
}
