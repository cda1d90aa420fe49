using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// Provider keys as Aspire parameters (secret: masked in the dashboard). <c>OPENAI_API_KEY</c> / <c>GEMINI_API_KEY</c>
/// (environment or configuration) switch that provider to its real endpoint; without them the Routers use the emulators.
/// </summary>
public sealed class ProviderSettings
{
    private readonly (string BaseUrl, IResourceBuilder<ParameterResource> Key) _openAI;
    private readonly (string BaseUrl, IResourceBuilder<ParameterResource> Key) _gemini;

    private ProviderSettings((string, IResourceBuilder<ParameterResource>) openAI, (string, IResourceBuilder<ParameterResource>) gemini)
    {
        _openAI = openAI;
        _gemini = gemini;
    }

    public static ProviderSettings From(IDistributedApplicationBuilder builder, IResourceBuilder<ServiceResource> openAIEmulator, IResourceBuilder<ServiceResource> geminiEmulator)
    {
        var openAIKey = builder.Configuration["OPENAI_API_KEY"];
        var geminiKey = builder.Configuration["GEMINI_API_KEY"];
        return new ProviderSettings(
            (string.IsNullOrEmpty(openAIKey) ? $"ws://127.0.0.1:{Port(openAIEmulator)}/v1" : "wss://api.openai.com/v1",
             builder.AddParameter("openai-api-key", () => string.IsNullOrEmpty(openAIKey) ? "emulator-key" : openAIKey, secret: true)),
            (string.IsNullOrEmpty(geminiKey) ? $"ws://127.0.0.1:{Port(geminiEmulator)}" : "wss://generativelanguage.googleapis.com",
             builder.AddParameter("gemini-api-key", () => string.IsNullOrEmpty(geminiKey) ? "emulator-key" : geminiKey, secret: true)));
    }

    public IResourceBuilder<ServiceResource> Apply(IResourceBuilder<ServiceResource> router) => router
        .WithEnvironment("Providers__OpenAI__BaseUrl", _openAI.BaseUrl)
        .WithEnvironment("Providers__OpenAI__ApiKey", _openAI.Key)
        .WithEnvironment("Providers__Gemini__BaseUrl", _gemini.BaseUrl)
        .WithEnvironment("Providers__Gemini__ApiKey", _gemini.Key);

    private static int? Port(IResourceBuilder<ServiceResource> emulator) =>
        emulator.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port;
}
