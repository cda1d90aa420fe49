using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Where a client's function output goes: the toolResponse, context text for a call a lost connection made, or nowhere. No socket.</summary>
public class GeminiFunctionCallsTests
{
    [Fact]
    public void Outputs_for_awaited_calls_queue_in_order_until_sent()
    {
        var calls = new GeminiFunctionCalls();
        calls.Called("c1", "get_weather");
        calls.Called("c2", "get_time");

        Assert.Equal(FunctionOutputRoute.ToolResponse, calls.Output("c2", "12:00", out var text2));
        Assert.Equal(FunctionOutputRoute.ToolResponse, calls.Output("c1", "sunny", out var text1));
        Assert.Null(text1);
        Assert.Null(text2);
        Assert.Equal([("c2", "get_time", "12:00"), ("c1", "get_weather", "sunny")], calls.Outputs);

        calls.OutputsSent();
        Assert.Empty(calls.Outputs);
        Assert.False(calls.Awaiting);
        Assert.Equal(FunctionOutputRoute.LocalOnly, calls.Output("c1", "again", out _)); // answered already
    }

    [Fact]
    public void A_call_Gemini_cancelled_drops_its_queued_output_and_later_ones_stay_local()
    {
        var calls = new GeminiFunctionCalls();
        calls.Called("c1", "get_weather");
        calls.Output("c1", "sunny", out _);

        Assert.True(calls.Cancel("c1"));
        Assert.False(calls.Cancel("c1"));
        Assert.Empty(calls.Outputs);
        Assert.Equal(FunctionOutputRoute.LocalOnly, calls.Output("c1", "sunny", out _));
    }

    [Fact]
    public void A_lost_connection_orphans_its_calls_and_returns_given_outputs_as_context_text()
    {
        var calls = new GeminiFunctionCalls();
        calls.Called("c1", "get_weather");
        calls.Called("c2", "get_time");
        calls.Output("c1", "sunny", out _);

        var texts = calls.ConnectionLost();

        Assert.Equal(["[function get_weather returned: sunny]"], texts);
        Assert.False(calls.Awaiting);
        Assert.Empty(calls.Outputs);
        // c2's output, given after the loss, goes up as context once; c1's was handed back already.
        Assert.Equal(FunctionOutputRoute.ContextText, calls.Output("c2", "12:00", out var text));
        Assert.Equal("[function get_time returned: 12:00]", text);
        Assert.Equal(FunctionOutputRoute.LocalOnly, calls.Output("c2", "12:00", out _));
        Assert.Equal(FunctionOutputRoute.LocalOnly, calls.Output("c1", "sunny", out _));
    }

    [Fact]
    public void A_call_from_the_checkpoint_is_orphaned()
    {
        var calls = new GeminiFunctionCalls();
        calls.Orphaned("c9", "lookup");

        Assert.False(calls.Awaiting);
        Assert.Equal(FunctionOutputRoute.ContextText, calls.Output("c9", "{\"ok\":true}", out var text));
        Assert.Equal("[function lookup returned: {\"ok\":true}]", text);
    }
}
