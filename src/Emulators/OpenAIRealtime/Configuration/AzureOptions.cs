namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

/// <summary>Settings of section <c>OpenAIEmulator:Azure</c>: the Azure OpenAI (Foundry) variant at <c>/openai/v1/realtime</c>.</summary>
public sealed class AzureOptions
{
    /// <summary>Deployment name → model. Empty: every deployment name is taken as the model name itself.</summary>
    public Dictionary<string, string> Deployments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Models refused at the handshake besides the built-in non-realtime ones (whisper, translate, live-transcribe).</summary>
    public List<string> UnsupportedModels { get; set; } = [];

    /// <summary>Azure's session cap (30 min per the Azure docs and MS Q&amp;A), used instead of the GA 60 min.</summary>
    public TimeSpan SessionMaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Microsoft Entra ID tokens (off by default).</summary>
    public AzureEntraOptions Entra { get; set; } = new();
}
