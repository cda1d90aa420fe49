using System.Text.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Checkpoints;

/// <summary>Turns a Redis snapshot into what a connector resumes from.</summary>
public static class SessionSnapshots
{
    private const string ProviderPrefix = "provider:";
    private const string HandleItemSuffix = "handle_item"; // e.g. gemini_handle_item: the last item a handle covers

    /// <summary>Field: the last client frame whose turn the stored conversation holds (see <see cref="SessionResumeState.CoveredInputSeq"/>).</summary>
    public const string InputSeqField = "input_seq";

    /// <summary>Field: the client connection whose frame numbering the stored input positions follow (SessionStart.input_stream).</summary>
    public const string InputStreamField = "input_stream";

    private const string InputSeqSuffix = "_input_seq"; // provider positions in the same numbering, e.g. gemini_handle_input_seq

    public static SessionResumeState ToResumeState(SessionSnapshot snapshot)
    {
        JsonElement? session = snapshot.Field("config") is { } config ? JsonDocument.Parse(config).RootElement.Clone() : null;
        var history = snapshot.History.Select(item => JsonDocument.Parse(item).RootElement.Clone()).ToList();
        var provider = snapshot.Fields
            .Where(f => f.Key.StartsWith(ProviderPrefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[ProviderPrefix.Length..], f => f.Value, StringComparer.Ordinal);
        var covered = ulong.TryParse(snapshot.Field(InputSeqField), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) ? seq : 0;
        return new SessionResumeState(session, history, provider) { CoveredInputSeq = covered };
    }

    /// <summary>
    /// Cuts the restored conversation before the first of <paramref name="unseenItemIds"/> it holds (items the
    /// previous Router applied but whose events never reached the client; they are replayed now), with everything
    /// after it (an answer the client never saw). Unchanged when none is held.
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
        // A spoken item cut with the tail is made again from its replayed audio: that audio must not count as covered.
        var spokenCut = resume.History.Skip(cut).Any(ConversationItemShapes.IsSpokenUserMessage);
        return Cut(resume, cut) with { CoveredInputSeq = spokenCut ? 0 : resume.CoveredInputSeq };
    }

    /// <summary>
    /// Cuts the answer a previous Router checkpointed but the client never saw: the assistant messages and function calls
    /// at the end of the restored conversation that are not among <paramref name="seenItemIds"/> (what the Gateway
    /// forwarded to the client). The walk from the end stops at the first item the client saw, or at any other kind of
    /// item (a user turn or a tool output the client never saw is replayed by the Gateway and cut by
    /// <see cref="WithoutUnseenTail"/>). A resumption handle whose context covers an item the client never saw goes
    /// too. Unchanged when the Gateway does not know what the client saw (none given).
    /// </summary>
    public static SessionResumeState WithoutUnseenAnswer(SessionResumeState resume, IReadOnlyCollection<string> seenItemIds, out int dropped)
    {
        dropped = 0;
        if (seenItemIds.Count == 0) return resume;
        var seen = seenItemIds.ToHashSet(StringComparer.Ordinal);
        var keep = resume.History.Count;
        while (keep > 0 && IsModelOutput(resume.History[keep - 1]) && !seen.Contains(IdOf(resume.History[keep - 1]) ?? ""))
            keep--;
        dropped = resume.History.Count - keep;
        if (dropped > 0) return Cut(resume, keep);
        // A resumption handle is recorded with the last item its provider context covers: when the client never saw
        // that item (an answer not checkpointed yet), the context behind the handle holds it; rebuild from history.
        return resume.ProviderState.Any(p => p.Key.EndsWith(HandleItemSuffix, StringComparison.Ordinal) && p.Value.Length > 0 && !seen.Contains(p.Value))
            ? Cut(resume, keep) with { HistoryCut = resume.HistoryCut }
            : resume;
    }

    /// <summary>
    /// A resume whose client frames follow another numbering than the checkpoint's input positions (the client
    /// reconnected: its new connection numbers from 1 and replays nothing): none of those positions covers any of its
    /// frames, so they are dropped, the provider's in the store too.
    /// </summary>
    public static SessionResumeState WithoutInputPositions(SessionResumeState resume)
    {
        var positions = resume.ProviderState.Keys.Where(k => k.EndsWith(InputSeqSuffix, StringComparison.Ordinal)).ToList();
        if (positions.Count == 0 && resume.CoveredInputSeq == 0) return resume;
        return resume with
        {
            CoveredInputSeq = 0,
            ProviderState = resume.ProviderState.Where(p => !positions.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            ClearedProviderKeys = [.. resume.ClearedProviderKeys.Union(positions, StringComparer.Ordinal)],
        };
    }

    private static bool IsModelOutput(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && (type.ValueEquals("function_call")
            || (type.ValueEquals("message") && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.ValueEquals("assistant")));

    private static string? IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>
    /// The conversation up to <paramref name="keep"/> items. Provider resumption handles describe the provider's context
    /// with the items cut, so they go too (the provider context is rebuilt from the cut history).
    /// </summary>
    private static SessionResumeState Cut(SessionResumeState resume, int keep)
    {
        var cleared = resume.ProviderState.Keys.Where(IsContextHandle).ToList();
        var provider = resume.ProviderState.Where(p => !IsContextHandle(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new SessionResumeState(resume.Session, resume.History.Take(keep).ToList(), provider)
        {
            HistoryCut = true,
            CoveredInputSeq = resume.CoveredInputSeq,
            ClearedProviderKeys = [.. resume.ClearedProviderKeys.Union(cleared, StringComparer.Ordinal)],
        };
    }

    // Resumption handles and what is recorded with them (Gemini: gemini_handle, _at, _item, _input_seq).
    private static bool IsContextHandle(string key) => key.Contains("handle", StringComparison.Ordinal);
}
