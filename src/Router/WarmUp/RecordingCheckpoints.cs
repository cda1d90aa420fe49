using System.Collections.Concurrent;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.WarmUp;

/// <summary>A warm-up session's checkpoints: kept in memory, so the second session of a lane can resume from them.</summary>
internal sealed class RecordingCheckpoints : ISessionCheckpoints
{
    private readonly ConcurrentDictionary<string, string> _providerState = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> ProviderState => new Dictionary<string, string>(_providerState, StringComparer.Ordinal);

    public void SetProviderState(string name, string value) => _providerState[name] = value;

    public void RecordTranscript(string itemId, int contentIndex, string transcript)
    {
        // The synthetic history the resume gets carries its own text.
    }
}
