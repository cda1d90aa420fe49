using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace VoicePlatform.AppHost.Orchestration;

/// <summary>
/// The Routers' provider instances and the catalog deployments that use them. Each instance runs against its emulator
/// until its real credentials are configured (environment or configuration), then against the real endpoint:
/// <list type="bullet">
/// <item><c>OPENAI_API_KEY</c>: OpenAI (<c>Providers:OpenAI</c>).</item>
/// <item><c>GEMINI_API_KEY</c>: the Gemini Developer API (<c>Providers:Gemini</c>).</item>
/// <item><c>XAI_API_KEY</c>: xAI (<c>Providers:XAI</c>, the OpenAI kind in xAI's dialect).</item>
/// <item><c>AZURE_OPENAI_ENDPOINT</c> + <c>AZURE_OPENAI_API_KEY</c> (+ <c>AZURE_OPENAI_DEPLOYMENT</c>, default
/// <c>gpt-realtime-2.1</c>): Azure OpenAI (<c>Providers:Azure</c>), serving catalog model <c>azure-gpt-realtime-2.1</c>.
/// With <c>AZURE_OPENAI_TENANT_ID</c> + <c>AZURE_OPENAI_CLIENT_ID</c> + <c>AZURE_OPENAI_CLIENT_SECRET</c> instead of (or
/// besides) the key, it signs in with Microsoft Entra ID tokens (<c>Auth=entra</c>, an app registration).</item>
/// <item><c>GOOGLE_APPLICATION_CREDENTIALS</c> (a service-account key file) + <c>VERTEX_LOCATION</c> (default
/// <c>us-central1</c>): Vertex AI (<c>Providers:Vertex</c>), serving catalog model <c>vertex-gemini-3.8-live</c>.</item>
/// </list>
/// Keys are Aspire parameters (secret: masked in the dashboard).
/// </summary>
public sealed class ProviderSettings
{
    private readonly List<(string Name, object Value)> _router = [];
    private readonly List<(string Name, string Value)> _catalog = [];

    private ProviderSettings()
    {
    }

    public static ProviderSettings From(IDistributedApplicationBuilder builder, IResourceBuilder<ServiceResource> openAIEmulator,
        IResourceBuilder<ServiceResource> geminiEmulator, string stateDirectory)
    {
        var settings = new ProviderSettings();
        var config = builder.Configuration;
        string? Real(string name) => string.IsNullOrEmpty(config[name]) ? null : config[name];
        var openAIBase = $"ws://127.0.0.1:{Port(openAIEmulator)}";
        var geminiBase = $"ws://127.0.0.1:{Port(geminiEmulator)}";

        var openAIKey = Real("OPENAI_API_KEY");
        settings.Instance("OpenAI", openAIKey is null ? $"{openAIBase}/v1" : "wss://api.openai.com/v1",
            builder.AddParameter("openai-api-key", () => openAIKey ?? "emulator-key", secret: true));

        var geminiKey = Real("GEMINI_API_KEY");
        settings.Instance("Gemini", geminiKey is null ? geminiBase : "wss://generativelanguage.googleapis.com",
            builder.AddParameter("gemini-api-key", () => geminiKey ?? "emulator-key", secret: true));

        var xaiKey = Real("XAI_API_KEY");
        settings.Instance("XAI", xaiKey is null ? $"{openAIBase}/xai/v1" : "wss://api.x.ai/v1",
            builder.AddParameter("xai-api-key", () => xaiKey ?? "emulator-key", secret: true),
            ("Kind", "openai"), ("Dialect", "xai"), ("SessionMaxDuration", "00:30:00"));

        var azureEndpoint = Real("AZURE_OPENAI_ENDPOINT");
        var azureKey = Real("AZURE_OPENAI_API_KEY");
        var (azureTenant, azureClient, azureSecret) = (Real("AZURE_OPENAI_TENANT_ID"), Real("AZURE_OPENAI_CLIENT_ID"), Real("AZURE_OPENAI_CLIENT_SECRET"));
        var azureEntra = azureEndpoint is not null && azureTenant is not null && azureClient is not null && azureSecret is not null;
        var azureReal = azureEndpoint is not null && (azureKey is not null || azureEntra);
        settings.Instance("Azure", azureReal ? AzureRealtimeBase(azureEndpoint!) : $"{openAIBase}/openai/v1",
            builder.AddParameter("azure-openai-api-key", () => azureReal && azureKey is not null ? azureKey : "emulator-key", secret: true),
            ("Kind", "openai"), ("Auth", azureEntra ? "entra" : "api-key"), ("SessionMaxDuration", "00:30:00"));
        if (azureEntra)
        {
            settings._router.Add(("Providers__Azure__Entra__TenantId", azureTenant!));
            settings._router.Add(("Providers__Azure__Entra__ClientId", azureClient!));
            settings._router.Add(("Providers__Azure__Entra__ClientSecret", builder.AddParameter("azure-openai-client-secret", () => azureSecret!, secret: true)));
        }
        settings.Deployment(0, "azure-gpt-realtime-2.1", "azure", "gpt-realtime-2.1", Real("AZURE_OPENAI_DEPLOYMENT") ?? "gpt-realtime-2.1", sessionMinutes: 30);

        var vertexKeyFile = Real("GOOGLE_APPLICATION_CREDENTIALS");
        if (vertexKeyFile is null)
        {
            // The emulator trusts a service account made here; its key file sends the Router to the emulator's /token.
            vertexKeyFile = EmulatorServiceAccount.LoadOrCreate(stateDirectory, $"http://127.0.0.1:{Port(geminiEmulator)}/token");
            geminiEmulator.WithEnvironment("GeminiEmulator__Vertex__ServiceAccountKeyFiles__0", vertexKeyFile);
            settings._router.Add(("Providers__Vertex__BaseUrl", geminiBase));
        }
        settings._router.Add(("Providers__Vertex__Kind", "gemini"));
        settings._router.Add(("Providers__Vertex__Platform", "vertex"));
        settings._router.Add(("Providers__Vertex__Vertex__ServiceAccountKeyFile", vertexKeyFile));
        settings._router.Add(("Providers__Vertex__Vertex__Location", Real("VERTEX_LOCATION") ?? "us-central1"));
        settings.Deployment(1, "vertex-gemini-3.8-live", "vertex", "gemini-3.8-live", "gemini-3.8-live");
        return settings;
    }

    /// <summary>The Routers' provider settings and the catalog deployments.</summary>
    public IResourceBuilder<ServiceResource> Apply(IResourceBuilder<ServiceResource> router)
    {
        foreach (var (name, value) in _router)
        {
            _ = value switch
            {
                IResourceBuilder<ParameterResource> parameter => router.WithEnvironment(name, parameter),
                _ => router.WithEnvironment(name, (string)value),
            };
        }
        return WithCatalog(router);
    }

    /// <summary>The catalog deployments, for every service that reads the model catalog (Gateway, Billing).</summary>
    public IResourceBuilder<ServiceResource> WithCatalog(IResourceBuilder<ServiceResource> service)
    {
        foreach (var (name, value) in _catalog) service.WithEnvironment(name, value);
        return service;
    }

    private void Instance(string name, string baseUrl, IResourceBuilder<ParameterResource> key, params (string Setting, string Value)[] settings)
    {
        _router.Add(($"Providers__{name}__BaseUrl", baseUrl));
        _router.Add(($"Providers__{name}__ApiKey", key));
        foreach (var (setting, value) in settings) _router.Add(($"Providers__{name}__{setting}", value));
    }

    private void Deployment(int index, string id, string provider, string model, string upstream, int? sessionMinutes = null)
    {
        var prefix = $"ModelCatalog__Deployments__{index}__";
        _catalog.Add((prefix + "Id", id));
        _catalog.Add((prefix + "Provider", provider));
        _catalog.Add((prefix + "Model", model));
        _catalog.Add((prefix + "UpstreamModel", upstream));
        if (sessionMinutes is { } minutes) _catalog.Add((prefix + "ProviderSessionMinutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary><c>https://contoso.openai.azure.com</c> → <c>wss://contoso.openai.azure.com/openai/v1</c>.</summary>
    private static string AzureRealtimeBase(string endpoint)
    {
        var uri = new Uri(endpoint);
        return $"wss://{uri.Authority}/openai/v1";
    }

    private static int? Port(IResourceBuilder<ServiceResource> emulator) =>
        emulator.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").Port;
}
