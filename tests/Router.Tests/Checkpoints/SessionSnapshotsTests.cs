using System.Text.Json;
using VoicePlatform.Router.Checkpoints;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Checkpoints;

/// <summary>
/// What a resuming Router keeps of the checkpointed conversation: only what the client saw, so that a request the
/// Gateway asks again is answered once in the provider's context too.
/// </summary>
public class SessionSnapshotsTests
{
    private static JsonElement Item(string id, string type, string? role = null) =>
        JsonDocument.Parse(role is null
            ? $$"""{"id":"{{id}}","type":"{{type}}"}"""
            : $$"""{"id":"{{id}}","type":"{{type}}","role":"{{role}}"}""").RootElement.Clone();

    private static SessionResumeState Resume(params JsonElement[] history) =>
        new(null, history, new Dictionary<string, string> { ["gemini_handle"] = "h1", ["gemini_handle_item"] = "item_a1", ["setup"] = "s" });

    private static IEnumerable<string> Ids(SessionResumeState resume) => resume.History.Select(i => i.GetProperty("id").GetString()!);

    [Fact]
    public void An_answer_checkpointed_after_everything_the_client_saw_is_cut_with_the_handles_that_include_it()
    {
        var resume = Resume(Item("item_u1", "message", "user"), Item("item_a1", "message", "assistant"),
            Item("item_u2", "message", "user"), Item("item_call", "function_call"), Item("item_a2", "message", "assistant"));

        var cut = SessionSnapshots.WithoutUnseenAnswer(resume, ["item_u1", "item_a1", "item_u2"], out var dropped);

        Assert.Equal(2, dropped);
        Assert.Equal(["item_u1", "item_a1", "item_u2"], Ids(cut));
        Assert.True(cut.HistoryCut);
        Assert.Equal(["gemini_handle", "gemini_handle_item"], cut.ClearedProviderKeys.Order());
        Assert.Equal(["setup"], cut.ProviderState.Keys);
    }

    [Fact]
    public void Nothing_is_cut_when_the_client_saw_the_end_or_the_gateway_does_not_know()
    {
        var resume = Resume(Item("item_u1", "message", "user"), Item("item_a1", "message", "assistant"));

        Assert.Same(resume, SessionSnapshots.WithoutUnseenAnswer(resume, ["item_u1", "item_a1"], out var seenAll));
        Assert.Equal(0, seenAll);
        // An older Gateway, or a client that reconnected to a Gateway that has sent it nothing yet.
        Assert.Same(resume, SessionSnapshots.WithoutUnseenAnswer(resume, [], out var unknown));
        Assert.Equal(0, unknown);
    }

    [Fact]
    public void Only_model_output_is_cut_a_user_turn_or_tool_output_the_client_never_saw_stops_the_walk()
    {
        // The user item and the tool output are the Gateway's to replay (unseen_item_ids); the answer after them stays
        // for WithoutUnseenTail to cut with them.
        var resume = Resume(Item("item_u1", "message", "user"), Item("item_call", "function_call"),
            Item("item_output", "function_call_output"), Item("item_a1", "message", "assistant"));

        var cut = SessionSnapshots.WithoutUnseenAnswer(resume, ["item_u1", "item_call"], out var dropped);

        Assert.Equal(1, dropped);
        Assert.Equal(["item_u1", "item_call", "item_output"], Ids(cut));
    }

    [Fact]
    public void Both_cuts_together_clear_the_handles_once_and_keep_what_the_client_saw()
    {
        var resume = Resume(Item("item_u1", "message", "user"), Item("item_a1", "message", "assistant"),
            Item("item_u2", "message", "user"), Item("item_a2", "message", "assistant"));

        var tail = SessionSnapshots.WithoutUnseenTail(resume, ["item_u2"], out var replayed);
        var answer = SessionSnapshots.WithoutUnseenAnswer(tail, ["item_u1", "item_a1"], out var unseen);

        Assert.Equal((2, 0), (replayed, unseen));
        Assert.Equal(["item_u1", "item_a1"], Ids(answer));
        Assert.Equal(["gemini_handle", "gemini_handle_item"], answer.ClearedProviderKeys.Order());
    }

    [Fact]
    public void A_handle_covering_an_answer_the_client_never_saw_goes_though_the_history_ends_at_what_it_saw()
    {
        // The answer was not checkpointed yet, but the handle recorded with it covers it (its context holds the answer).
        var resume = new SessionResumeState(null, [Item("item_u1", "message", "user")],
            new Dictionary<string, string> { ["gemini_handle"] = "h2", ["gemini_handle_item"] = "item_a1", ["setup"] = "s" });

        var cleared = SessionSnapshots.WithoutUnseenAnswer(resume, ["item_u1"], out var dropped);

        Assert.Equal(0, dropped);
        Assert.Equal(["item_u1"], Ids(cleared));
        Assert.False(cleared.HistoryCut);
        Assert.Equal(["gemini_handle", "gemini_handle_item"], cleared.ClearedProviderKeys.Order());
        Assert.Equal(["setup"], cleared.ProviderState.Keys);

        // A handle covering only what the client saw is kept.
        var seenHandle = resume with { ProviderState = new Dictionary<string, string> { ["gemini_handle"] = "h1", ["gemini_handle_item"] = "item_u1" } };
        Assert.Same(seenHandle, SessionSnapshots.WithoutUnseenAnswer(seenHandle, ["item_u1"], out _));
    }

    private static JsonElement Spoken(string id) =>
        JsonDocument.Parse($$"""{"id":"{{id}}","type":"message","role":"user","content":[{"type":"input_audio","transcript":"hi"}]}""").RootElement.Clone();

    private static JsonElement Typed(string id) =>
        JsonDocument.Parse($$"""{"id":"{{id}}","type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}""").RootElement.Clone();

    [Fact]
    public void The_covered_input_is_read_from_the_snapshot_and_survives_an_answer_cut()
    {
        var snapshot = new SessionSnapshot("sess_1", new Dictionary<string, string> { [SessionSnapshots.InputSeqField] = "42" },
            [Spoken("item_u1").GetRawText(), Item("item_a1", "message", "assistant").GetRawText()], "router-1", 3);

        var resume = SessionSnapshots.ToResumeState(snapshot);
        Assert.Equal(42ul, resume.CoveredInputSeq);

        var cut = SessionSnapshots.WithoutUnseenAnswer(resume, ["item_u1"], out var dropped);
        Assert.Equal(1, dropped);
        Assert.Equal(42ul, cut.CoveredInputSeq);
        Assert.Equal(0ul, SessionSnapshots.ToResumeState(snapshot with { Fields = new Dictionary<string, string>() }).CoveredInputSeq);
    }

    [Fact]
    public void A_spoken_item_cut_with_an_unseen_tail_is_made_again_from_its_audio_so_nothing_counts_as_covered()
    {
        var resume = new SessionResumeState(null, [Spoken("item_u1"), Typed("item_t2"), Spoken("item_u3")], new Dictionary<string, string>())
        {
            CoveredInputSeq = 42,
        };

        var spokenCut = SessionSnapshots.WithoutUnseenTail(resume, ["item_t2"], out var dropped);
        Assert.Equal(2, dropped);
        Assert.Equal(0ul, spokenCut.CoveredInputSeq);

        var typedCut = SessionSnapshots.WithoutUnseenTail(resume with { History = [Spoken("item_u1"), Typed("item_t2")] }, ["item_t2"], out dropped);
        Assert.Equal(1, dropped);
        Assert.Equal(42ul, typedCut.CoveredInputSeq);
    }

    [Fact]
    public void Input_positions_of_another_client_connection_cover_nothing_and_are_cleared_in_the_store()
    {
        var resume = new SessionResumeState(null, [Spoken("item_u1")],
            new Dictionary<string, string> { ["gemini_handle"] = "h1", ["gemini_handle_input_seq"] = "80" })
        { CoveredInputSeq = 95 };

        var renumbered = SessionSnapshots.WithoutInputPositions(resume);

        Assert.Equal(0ul, renumbered.CoveredInputSeq);
        Assert.Equal(["gemini_handle"], renumbered.ProviderState.Keys);
        Assert.Equal(["gemini_handle_input_seq"], renumbered.ClearedProviderKeys);
        Assert.Single(renumbered.History);
    }
}
