using System.Text.Json;
using VoicePlatform.Emulators.DemoToolCalls;

namespace VoicePlatform.Emulators.OpenAIRealtime.Tests;

/// <summary>The demo heuristic both emulators share: which tool a sentence names, and which arguments it fills.</summary>
public sealed class DemoToolMatcherTests
{
    private static DemoTool Tool(string name, string? description = null, string? parameters = null) =>
        new(name, description, parameters is null ? null : JsonDocument.Parse(parameters).RootElement.Clone());

    private static readonly DemoTool Weather = Tool("get_weather", "Current weather for a city.",
        """{"type":"OBJECT","properties":{"location":{"type":"STRING"},"unit":{"type":"STRING","enum":["celsius","fahrenheit"]}}}""");

    private static readonly DemoTool Time = Tool("get_current_time", "Returns the current date and time in the given IANA timezone.",
        """{"type":"object","properties":{"timezone":{"type":"string"}}}""");

    private static readonly DemoTool Search = Tool("searchKnowledgeBase", "Answers questions from the help centre.",
        """{"type":"object","properties":{"query":{"type":"string"}}}""");

    [Theory]
    [InlineData("What's the weather in New York in fahrenheit?", "get_weather", """{"location":"New York","unit":"fahrenheit"}""")]
    [InlineData("Paris weather please", "get_weather", """{"location":"Paris"}""")]
    [InlineData("what time is it in Europe/Berlin", "get_current_time", """{"timezone":"Europe/Berlin"}""")]
    [InlineData("Search the knowledge base for refunds", "searchKnowledgeBase", """{"query":"Search the knowledge base for refunds"}""")]
    [InlineData("I have questions for the help centre", "searchKnowledgeBase", """{"query":"I have questions for the help centre"}""")]
    public void A_sentence_calls_the_tool_it_names_with_what_it_can_fill(string utterance, string tool, string arguments)
    {
        var call = DemoToolMatcher.Match(utterance, [Weather, Time, Search]);
        Assert.NotNull(call);
        Assert.Equal((tool, arguments), (call.Name, call.Arguments.ToJsonString()));
    }

    [Theory]
    [InlineData("hello there")]
    [InlineData("what can you do for me today?")]
    [InlineData("call get_weather {}")]
    [InlineData("[function get_weather returned: sunny]")]
    [InlineData("[audio 2.5 s]")]
    [InlineData("")]
    public void Common_words_call_commands_and_bracketed_notes_name_no_tool(string utterance) =>
        Assert.Null(DemoToolMatcher.Match(utterance, [Weather, Time, Search]));

    [Fact]
    public void One_stray_description_word_in_a_long_sentence_names_no_tool()
    {
        var lookup = Tool("lookup", "Looks a city up.");
        Assert.Null(DemoToolMatcher.Match("which is what a barge in looks like in a real call, and the platform must cancel it cleanly", [lookup]));
        Assert.Equal("lookup", DemoToolMatcher.Match("please look up the city of Lyon", [lookup])?.Name);
    }

    [Fact]
    public void A_name_word_outweighs_a_description_word_and_a_tie_goes_to_the_first_declared()
    {
        var forecast = Tool("forecast", "Weather for the coming days.");
        Assert.Equal("forecast", DemoToolMatcher.Match("give me the forecast, not today's weather", [Weather, forecast])?.Name);
        Assert.Equal("get_weather", DemoToolMatcher.Match("weather?", [Weather, Tool("weather_alerts")])?.Name);
    }
}
