using VoicePlatform.Emulators.OpenAIRealtime.Auth;

namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// What the handshake decided for a new session: the dialect, the <c>?model=</c> value (an Azure deployment name on
/// Azure), the model actually behind it (Azure's deployment map; null elsewhere) and the ephemeral key used, if any.
/// </summary>
internal sealed record SessionOpening(ProviderVariant Variant, string? Model, string? ServedModel, ClientSecret? Secret);
