namespace VoicePlatform.Emulators.GeminiLive.Transport;

/// <summary>Which Google surface a Live path belongs to: the Gemini Developer API or Vertex AI.</summary>
internal enum ApiSurface
{
    DeveloperApi,
    Vertex,
}
