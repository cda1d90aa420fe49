using System.Text.Json;
using VoicePlatform.Contracts.Router;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Sessions;

/// <summary>When a resumed session asks for the answer to a spoken turn the previous Router checkpointed but never answered.</summary>
public class UnansweredTurnTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static readonly JsonElement ServerVad = Json("""{"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad"}}}}""");
    private static readonly JsonElement Spoken = Json("""{"id":"item_u2","type":"message","role":"user","content":[{"type":"input_audio","transcript":null}]}""");
    private static readonly JsonElement Typed = Json("""{"id":"item_u2","type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}""");
    private static readonly JsonElement Answer = Json("""{"id":"item_a1","type":"message","role":"assistant","content":[]}""");
    private static readonly JsonElement First = Json("""{"id":"item_u1","type":"message","role":"user","content":[{"type":"input_audio"}]}""");

    private static SessionResumeState Resume(JsonElement? session, params JsonElement[] history) => new(session, history, new Dictionary<string, string>());

    private static SessionStart Start(params string[] seen)
    {
        var start = new SessionStart { SessionId = "sess_1", Resume = true };
        start.SeenItemIds.Add(seen);
        return start;
    }

    [Fact]
    public void A_trailing_spoken_turn_under_server_vad_the_client_saw_nothing_after_is_answered()
    {
        Assert.True(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer, Spoken), Start("item_u1", "item_a1", "item_u2")));
        Assert.True(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer, Spoken), Start("item_a1")));
    }

    [Fact]
    public void Nothing_is_asked_when_the_answer_is_there_coming_or_unknown()
    {
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer), Start("item_a1")));               // answered
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer, Typed), Start("item_a1")));        // the client's own item: its request decides
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer, Spoken), Start("item_u2", "item_a2"))); // the client saw an answer the checkpoint lacks
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, First, Answer, Spoken), Start()));                // the Gateway does not say what the client saw
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(Json("""{"audio":{"input":{"turn_detection":null}}}"""), Spoken), Start("item_u2"))); // manual turns
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(Json("""{"audio":{"input":{"turn_detection":{"type":"server_vad","create_response":false}}}}"""), Spoken), Start("item_u2")));

        var reasked = Start("item_u2");
        reasked.ReaskedSeqs.Add(9ul);
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, Spoken), reasked));
        var cut = Start("item_u2");
        cut.CutResponses.Add(new CutResponse { ResponseId = "resp_1" });
        Assert.False(UnansweredTurn.NeedsAnswer(Resume(ServerVad, Spoken), cut));
    }
}
