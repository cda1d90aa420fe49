using System.Text.Json;
using VoicePlatform.Contracts.Router;

namespace VoicePlatform.Router.Sessions;

/// <summary>
/// A resumed session whose restored conversation ends with a user turn nobody will answer: the previous Router
/// checkpointed the turn (so the Gateway's replay of its audio is not handed again) but died before the response the
/// server VAD would have started reached the client. The Gateway re-asks responses it saw cut and requests it saw
/// unanswered; this is the one case it cannot know about, so the Router asks for the answer itself.
/// </summary>
public static class UnansweredTurn
{
    /// <summary>What the Router sends for it, as platform-made input (no client frame).</summary>
    public static ReadOnlyMemory<byte> ResponseCreate { get; } = """{"type":"response.create"}"""u8.ToArray();

    /// <summary>
    /// Whether <paramref name="resume"/> ends with a spoken user message that server VAD would have answered, no answer is
    /// coming from a replayed or re-asked request, and the client saw nothing the checkpoint lacks (an answer it saw
    /// but the checkpoint missed must not be given twice; when the Gateway does not say what the client saw, nothing
    /// is asked).
    /// </summary>
    public static bool NeedsAnswer(SessionResumeState resume, SessionStart start)
    {
        if (resume.History.Count == 0 || !ConversationItemShapes.IsSpokenUserMessage(resume.History[^1])) return false;
        if (start.ReaskedSeqs.Count > 0 || start.CutResponses.Count > 0 || start.SeenItemIds.Count == 0) return false;
        if (!ServerVadAnswers(resume.Session)) return false;
        var restored = ClientFramePump.RestoredItemIds(resume);
        return start.SeenItemIds.All(restored.Contains);
    }

    /// <summary>Turn detection on (server_vad or semantic_vad) with <c>create_response</c> not turned off.</summary>
    private static bool ServerVadAnswers(JsonElement? session)
    {
        if (session is not { ValueKind: JsonValueKind.Object } s
            || !s.TryGetProperty("audio", out var audio) || audio.ValueKind != JsonValueKind.Object
            || !audio.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("turn_detection", out var turn) || turn.ValueKind != JsonValueKind.Object)
            return false;
        return !(turn.TryGetProperty("create_response", out var create) && create.ValueKind == JsonValueKind.False);
    }
}
