using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.RealtimeProtocol.Tests.Items;

/// <summary>The transcript of an assistant message cut short: in proportion to the audio heard, back to a word boundary.</summary>
public class HeardTranscriptTests
{
    [Theory]
    [InlineData("the weather in Paris is sunny", 1.0, "the weather in Paris is sunny")]
    [InlineData("the weather in Paris is sunny", 1.5, "the weather in Paris is sunny")]
    [InlineData("the weather in Paris is sunny", 0.5, "the weather in")] // cut at 14, the space before "Paris"
    [InlineData("the weather in Paris is sunny", 0.45, "the weather")] // cut at 13, inside "in": the partial word goes
    [InlineData("the weather in Paris is sunny", 0.1, "")] // inside the first word
    [InlineData("the weather in Paris is sunny", 0.0, "")]
    [InlineData("the weather in Paris is sunny", -1.0, "")]
    [InlineData("", 0.5, "")]
    public void Keeps_the_whole_words_within_the_fraction_heard(string transcript, double fraction, string heard) =>
        Assert.Equal(heard, HeardTranscript.Prefix(transcript, fraction));
}
