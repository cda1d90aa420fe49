using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A session as last checkpointed: the effective session object (OpenAI GA shape, as in <c>session.updated</c>), the
/// conversation items in order (OpenAI item shapes, without audio bytes), and provider state the connector recorded.
/// </summary>
public sealed record SessionResumeState(JsonElement? Session, IReadOnlyList<JsonElement> History, IReadOnlyDictionary<string, string> ProviderState)
{
    /// <summary>Items the checkpoint held after the point the client saw were cut off: the stored history must be rewritten.</summary>
    public bool HistoryCut { get; init; }

    /// <summary>Provider state dropped with the cut (it described the provider's context with the cut items); to clear in the store.</summary>
    public IReadOnlyList<string> ClearedProviderKeys { get; init; } = [];

    /// <summary>
    /// The last client frame whose turn the checkpoint holds (an audio commit's item was stored with it). The Gateway
    /// replays what it had no ack for; frames up to this one are already in the conversation and are not handed again.
    /// </summary>
    public ulong CoveredInputSeq { get; init; }

    public string? ProviderValue(string name) => ProviderState.TryGetValue(name, out var value) ? value : null;
}
