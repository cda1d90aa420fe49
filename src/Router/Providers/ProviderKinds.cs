namespace VoicePlatform.Router.Providers;

/// <summary>The connectors a provider instance can use (<c>Providers:&lt;Name&gt;:Kind</c>).</summary>
public static class ProviderKinds
{
    /// <summary>OpenAI Realtime GA and its variants (Azure OpenAI, xAI voice agent API).</summary>
    public const string OpenAI = "openai";

    /// <summary>Gemini Live: the Gemini Developer API and Vertex AI.</summary>
    public const string Gemini = "gemini";
}
