using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A session as last checkpointed: the effective session object (OpenAI GA shape, as in <c>session.updated</c>), the
/// conversation items in order (OpenAI item shapes, without audio bytes), and provider state the connector recorded.
/// </summary>
public sealed record SessionResumeState(JsonElement? Session, IReadOnlyList<JsonElement> History, IReadOnlyDictionary<string, string> ProviderState)
{
    public string? ProviderValue(string name) => ProviderState.TryGetValue(name, out var value) ? value : null;
}
