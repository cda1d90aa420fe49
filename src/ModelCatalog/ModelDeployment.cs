namespace VoicePlatform.ModelCatalog;

/// <summary>
/// A catalog model served through another provider instance: an operator's Azure OpenAI deployment of
/// <c>gpt-realtime-2.1</c>, or Vertex AI's <c>gemini-3.8-live</c> in their project. Section
/// <c>ModelCatalog:Deployments</c>, so adding one needs no index into <c>models.json</c>'s list. It lists as a model of its
/// own (<see cref="Id"/>) with <see cref="Model"/>'s capabilities, limits and prices, and is billed as <see cref="Model"/>.
/// </summary>
public sealed class ModelDeployment
{
    /// <summary>The id clients use, e.g. <c>azure-gpt-realtime-2.1</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>The provider instance's key (<c>Providers:&lt;Name&gt;</c>), e.g. <c>azure</c>, <c>vertex</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The catalog model this deployment serves (its capabilities, limits and prices).</summary>
    public string Model { get; set; } = "";

    /// <summary>The name the provider knows it by (Azure: the deployment name); empty = <see cref="Model"/>'s upstream name.</summary>
    public string UpstreamModel { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The provider instance's session cap, when it differs from <see cref="Model"/>'s (Azure: 30).</summary>
    public int? ProviderSessionMinutes { get; set; }
}
