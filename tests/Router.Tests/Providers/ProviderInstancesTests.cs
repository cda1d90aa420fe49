using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoicePlatform.Router.Providers;
using VoicePlatform.Router.Providers.Gemini;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers;

/// <summary>Provider instances: <c>Providers:&lt;Name&gt;</c> sections, each served by its kind's connector with its own settings.</summary>
public sealed class ProviderInstancesTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void OpenAI_and_Gemini_exist_unconfigured_with_their_catalog_keys()
    {
        var instances = ProviderInstances.Read(Configuration([]));

        Assert.Collection(instances,
            i => Assert.Equal(("OpenAI", "openai", ProviderKinds.OpenAI), (i.Name, i.Key, i.Kind)),
            i => Assert.Equal(("Gemini", "google", ProviderKinds.Gemini), (i.Name, i.Key, i.Kind)));
    }

    [Fact]
    public void Other_sections_are_instances_of_their_kind_keyed_by_name_in_lower_case_or_their_Key()
    {
        var instances = ProviderInstances.Read(Configuration(new()
        {
            ["Providers:Azure:Kind"] = "openai",
            ["Providers:Azure:BaseUrl"] = "wss://contoso.openai.azure.com/openai/v1",
            ["Providers:Vertex:Kind"] = "Gemini",
            ["Providers:Vertex:Key"] = "vertex-eu",
        }));

        Assert.Contains(instances, i => (i.Name, i.Key, i.Kind) == ("Azure", "azure", ProviderKinds.OpenAI));
        Assert.Contains(instances, i => (i.Name, i.Key, i.Kind) == ("Vertex", "vertex-eu", ProviderKinds.Gemini));
        Assert.Equal("wss://contoso.openai.azure.com/openai/v1", instances.Single(i => i.Key == "azure").Section["BaseUrl"]);
    }

    [Theory]
    [InlineData("Providers:Azure:BaseUrl", "wss://x", "Providers:Azure:Kind is required")]
    [InlineData("Providers:Azure:Kind", "anthropic", "it must be 'openai' or 'gemini'")]
    [InlineData("Providers:Azure:Kind", "openai", "Provider key 'openai' is used by")] // with Key=openai below
    public void A_section_without_a_known_kind_or_with_a_taken_key_is_refused_with_the_setting_named(string key, string value, string expected)
    {
        var values = new Dictionary<string, string?> { [key] = value };
        if (expected.StartsWith("Provider key", StringComparison.Ordinal)) values["Providers:Azure:Key"] = "openai";

        var error = Assert.Throws<InvalidOperationException>(() => ProviderInstances.Read(Configuration(values)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Each_instance_gets_a_connector_with_its_own_settings()
    {
        var configuration = Configuration(new()
        {
            ["Providers:OpenAI:BaseUrl"] = "wss://api.openai.com/v1",
            ["Providers:Azure:Kind"] = "openai",
            ["Providers:Azure:BaseUrl"] = "wss://contoso.openai.azure.com/openai/v1",
            ["Providers:Azure:Auth"] = "api-key",
            ["Providers:Azure:SessionMaxDuration"] = "00:30:00",
            ["Providers:XAI:Kind"] = "openai",
            ["Providers:XAI:Dialect"] = "xai",
            ["Providers:Vertex:Kind"] = "gemini",
            ["Providers:Vertex:Platform"] = "vertex",
            ["Providers:Vertex:ApiKey"] = "express-key",
        });
        using var services = new ServiceCollection().AddLogging().AddOpenAIProvider(configuration).AddGeminiProvider(configuration).BuildServiceProvider();

        var keys = services.GetServices<IProviderConnector>().Select(c => c.Provider).Order().ToList();
        Assert.Equal(["azure", "google", "openai", "vertex", "xai"], keys);

        var openAI = services.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>();
        Assert.Equal((OpenAIProviderOptions.BearerAuth, TimeSpan.FromHours(1), false),
            (openAI.Get("openai").Auth, openAI.Get("openai").SessionMaxDuration, openAI.Get("openai").IsXai));
        Assert.Equal((OpenAIProviderOptions.ApiKeyAuth, TimeSpan.FromMinutes(30), "wss://contoso.openai.azure.com/openai/v1"),
            (openAI.Get("azure").Auth, openAI.Get("azure").SessionMaxDuration, openAI.Get("azure").BaseUrl));
        Assert.True(openAI.Get("xai").IsXai);
        var gemini = services.GetRequiredService<IOptionsMonitor<GeminiProviderOptions>>();
        Assert.True(gemini.Get("vertex").IsVertex);
        Assert.False(gemini.Get("google").IsVertex);
    }

    [Theory]
    [InlineData("Providers:Azure:Auth", "basic")]
    [InlineData("Providers:Azure:Dialect", "anthropic")]
    [InlineData("Providers:Azure:BaseUrl", "https://contoso.openai.azure.com/openai/v1")]
    public void Bad_settings_of_an_OpenAI_kind_instance_fail_validation(string key, string value)
    {
        var configuration = Configuration(new() { ["Providers:Azure:Kind"] = "openai", [key] = value });
        using var services = new ServiceCollection().AddLogging().AddOpenAIProvider(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<OpenAIProviderOptions>>().Get("azure"));
    }

    [Theory]
    [InlineData("Providers:Vertex:Platform", "enterprise")]
    [InlineData("Providers:Vertex:Vertex:ServiceAccountKeyFile", "/no/such/key.json")]
    public void Bad_settings_of_a_Gemini_kind_instance_fail_validation(string key, string value)
    {
        var configuration = Configuration(new() { ["Providers:Vertex:Kind"] = "gemini", ["Providers:Vertex:Platform"] = "vertex", [key] = value });
        using var services = new ServiceCollection().AddLogging().AddGeminiProvider(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptionsMonitor<GeminiProviderOptions>>().Get("vertex"));
    }
}
