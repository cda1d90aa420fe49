using Microsoft.Extensions.Options;
using VoicePlatform.ModelCatalog;

namespace VoicePlatform.Router.Tests.Routing;

/// <summary>A fixed model catalog for routing tests: two full models and one without tools or input transcription.</summary>
public static class TestModelCatalog
{
    public static readonly ModelDirectory Models = new(new Fixed(new ModelCatalogOptions
    {
        Models =
        [
            new CatalogModel { Id = "gpt-realtime-2", Provider = "openai", UpstreamModel = "gpt-realtime-2", Capabilities = new ModelCapabilities { TextOutput = true } },
            new CatalogModel { Id = "gemini-3.1-flash-live", Provider = "google", UpstreamModel = "gemini-3.1-flash-live" },
            new CatalogModel { Id = "mute-model", Provider = "google", UpstreamModel = "m", Capabilities = new ModelCapabilities { Tools = false, InputTranscription = false } },
        ],
    }));

    private sealed class Fixed(ModelCatalogOptions value) : IOptionsMonitor<ModelCatalogOptions>
    {
        public ModelCatalogOptions CurrentValue => value;

        public ModelCatalogOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ModelCatalogOptions, string?> listener) => null;
    }
}
