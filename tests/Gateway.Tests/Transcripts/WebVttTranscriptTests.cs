using VoicePlatform.Contracts.Transcripts;
using VoicePlatform.Gateway.Transcripts;

namespace VoicePlatform.Gateway.Tests.Transcripts;

public class WebVttTranscriptTests
{
    [Fact]
    public void Cues_are_in_start_time_order_even_when_the_conversation_order_differs()
    {
        // Conversation order: an answer that played late (queued audio), then the user's next turn, typed earlier.
        TranscriptSegment[] segments =
        [
            new() { Role = "assistant", Text = "A long answer", StartMs = 4_000, EndMs = 6_000 },
            new() { Role = "user", Text = "Next question", StartMs = 3_300, EndMs = 3_300 },
        ];

        var cues = WebVttTranscript.Write(segments).Split("\n\n").Skip(1).Select(c => c.Split('\n')[1]).ToList();

        Assert.Equal(["00:00:03.300 --> 00:00:03.300", "00:00:04.000 --> 00:00:06.000"], cues);
    }
}
