using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>The Gemini turn tracker's transitions, one Gemini signal or session request at a time. No socket.</summary>
public class GeminiModelTurnTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_asked_for_is_open_and_its_output_is_shown_until_generation_completes()
    {
        var turn = new GeminiModelTurn();
        turn.Asked(newTurn: true);

        Assert.True(turn.Open);
        Assert.True(turn.AcceptOutput());
        Assert.True(turn.EndOutput());
        Assert.False(turn.AcceptOutput()); // a fragment after generationComplete
        Assert.False(turn.Complete());
        Assert.False(turn.Open);
        Assert.False(turn.OutputEnded);
    }

    [Fact]
    public void A_new_request_while_a_turn_runs_drops_that_turns_tail_until_turn_complete()
    {
        var turn = new GeminiModelTurn();
        turn.Asked(newTurn: true);
        Assert.True(turn.AcceptOutput());

        turn.Asked(newTurn: true); // Gemini ends the running turn (interrupted → turnComplete) before answering
        Assert.False(turn.AcceptOutput());
        Assert.False(turn.EndOutput());
        Assert.True(turn.Complete()); // the superseded turn's turnComplete

        turn.Asked(newTurn: true);
        Assert.True(turn.AcceptOutput());
    }

    [Fact]
    public void A_tool_result_continues_the_running_turn_without_dropping_it()
    {
        var turn = new GeminiModelTurn();
        turn.Asked(newTurn: true);
        Assert.True(turn.AcceptOutput());

        turn.Asked(newTurn: false);
        Assert.True(turn.AcceptOutput());
        Assert.False(turn.Discarding);
    }

    [Fact]
    public void Cancel_drops_a_running_turn_and_does_nothing_without_one()
    {
        var turn = new GeminiModelTurn();
        Assert.False(turn.Cancel());
        Assert.False(turn.Discarding);

        turn.Asked(newTurn: true);
        Assert.True(turn.Cancel());
        Assert.False(turn.AcceptOutput());
        Assert.True(turn.Complete());
    }

    [Fact]
    public void An_expected_reply_is_due_for_a_while_and_ends_with_the_first_output()
    {
        var turn = new GeminiModelTurn();
        turn.ExpectReply(Now);

        Assert.True(turn.ReplyDue(Now.AddSeconds(1), TimeSpan.FromSeconds(5)));
        Assert.False(turn.ReplyDue(Now.AddSeconds(6), TimeSpan.FromSeconds(5)));
        Assert.True(turn.AcceptOutput());
        Assert.False(turn.ReplyExpected);
        Assert.False(turn.ReplyDue(Now.AddSeconds(1), TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("expected", false, true)]
    [InlineData("running", false, true)]
    [InlineData("running", true, false)] // waiting on a tool result: the client still sends it
    [InlineData("output-ended", false, false)] // all output came; only turnComplete was awaited
    [InlineData("cancelled", false, false)]
    [InlineData("idle", false, false)]
    public void A_turn_lost_with_its_connection_is_asked_again_only_when_its_answer_never_fully_came(string state, bool awaitingToolResult, bool lost)
    {
        var turn = new GeminiModelTurn();
        switch (state)
        {
            case "expected": turn.ExpectReply(Now); break;
            case "running": turn.Asked(newTurn: true); turn.AcceptOutput(); break;
            case "output-ended": turn.Asked(newTurn: true); turn.AcceptOutput(); turn.EndOutput(); break;
            case "cancelled": turn.Asked(newTurn: true); turn.Cancel(); break;
        }

        Assert.Equal(lost, turn.LostWithConnection(awaitingToolResult));
        turn.Reset();
        Assert.False(turn.LostWithConnection(awaitingToolResult));
    }
}
