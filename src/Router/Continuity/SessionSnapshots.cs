using System.Text.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Continuity;

/// <summary>Turns a Redis snapshot into what a connector resumes from.</summary>
public static class SessionSnapshots
{
    private const string ProviderPrefix = "provider:";

    public static SessionResumeState ToResumeState(SessionSnapshot snapshot)
    {
        JsonElement? session = snapshot.Field("config") is { } config ? JsonDocument.Parse(config).RootElement.Clone() : null;
        var history = snapshot.History.Select(item => JsonDocument.Parse(item).RootElement.Clone()).ToList();
        var provider = snapshot.Fields
            .Where(f => f.Key.StartsWith(ProviderPrefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[ProviderPrefix.Length..], f => f.Value, StringComparer.Ordinal);
        return new SessionResumeState(session, history, provider);
    }

    /// <summary>
    /// Cuts the restored conversation before the first of <paramref name="unseenItemIds"/> it holds (items the
    /// previous Router applied but whose events never reached the client; they are replayed now), with everything
    /// after it (an answer the client never saw). Provider resumption handles describe the provider's context with
    /// those items, so they go too (the provider context is rebuilt from the cut history). Unchanged when none is held.
    /// </summary>
    public static SessionResumeState WithoutUnseenTail(SessionResumeState resume, IReadOnlyCollection<string> unseenItemIds, out int dropped)
    {
        dropped = 0;
        if (unseenItemIds.Count == 0) return resume;
        var unseen = unseenItemIds.ToHashSet(StringComparer.Ordinal);
        var cut = -1;
        for (var i = 0; i < resume.History.Count && cut < 0; i++)
        {
            if (resume.History[i].ValueKind == JsonValueKind.Object && resume.History[i].TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && unseen.Contains(id.GetString()!))
                cut = i;
        }
        if (cut < 0) return resume;
        dropped = resume.History.Count - cut;
        var cleared = resume.ProviderState.Keys.Where(IsContextHandle).ToList();
        var provider = resume.ProviderState.Where(p => !IsContextHandle(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new SessionResumeState(resume.Session, resume.History.Take(cut).ToList(), provider) { HistoryCut = true, ClearedProviderKeys = cleared };
    }

    // Resumption handles and what is recorded with them (Gemini: gemini_handle, _at, _item, _input_seq).
    private static bool IsContextHandle(string key) => key.Contains("handle", StringComparison.Ordinal);
}
