using VoicePlatform.Contracts.Events;

namespace VoicePlatform.Router.Events;

/// <summary>The message types the spool carries, by the name stored with each entry.</summary>
public static class SpooledEventTypes
{
    private static readonly Dictionary<string, Type> ByName = new[]
    {
        typeof(SessionStarted), typeof(TranscriptSegmentRecorded), typeof(UsageRecorded), typeof(SessionEnded),
        typeof(VoicePlatform.Contracts.Events.Quality.ContinuityEventRecorded), typeof(ResponsesDiscarded),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static bool TryResolve(string name, out Type type) => ByName.TryGetValue(name, out type!);

    public static bool IsKnown(Type type) => ByName.TryGetValue(type.Name, out var known) && known == type;
}
