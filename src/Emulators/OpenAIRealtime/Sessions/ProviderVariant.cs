namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>Which provider's dialect of the Realtime protocol a connection speaks (chosen by path, README "Variants").</summary>
public enum ProviderVariant
{
    OpenAI,
    Azure,
    Xai,
}
