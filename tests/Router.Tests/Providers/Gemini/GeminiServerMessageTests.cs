using System.Text.Json;
using VoicePlatform.Router.Providers.Gemini;

namespace VoicePlatform.Router.Tests.Providers.Gemini;

/// <summary>Gemini Live server messages read into their typed parts in one pass. No socket.</summary>
public class GeminiServerMessageTests
{
    private static T Read<T>(string json, Func<GeminiServerMessage, T> take)
    {
        using var document = JsonDocument.Parse(json);
        return take(GeminiServerMessage.Read(document.RootElement));
    }

    [Fact]
    public void Model_audio_is_every_pcm_part_in_order_and_nothing_else()
    {
        const string json = """
            {"serverContent":{"modelTurn":{"parts":[
              {"inlineData":{"mimeType":"audio/pcm;rate=24000","data":"AAAB"}},
              {"text":"thinking"},
              {"inlineData":{"mimeType":"image/png","data":"iVBO"}},
              {"inlineData":{"data":"AAAC"}},
              {"inlineData":{"mimeType":"audio\/pcm;rate=24000","data":"AAAD"}}]}}}
            """;

        var audio = Read(json, m =>
        {
            Assert.True(m.HasContent);
            return m.Content.ModelParts.EnumerateArray()
                .Select(part => GeminiServerContent.TryGetAudio(part, out var data) ? data.GetString() : null)
                .OfType<string>()
                .ToList();
        });

        Assert.Equal(["AAAB", "AAAC", "AAAD"], audio);
    }

    [Fact]
    public void The_turn_milestones_transcriptions_and_usage_are_read_together()
    {
        const string json = """
            {"usageMetadata":{"promptTokenCount":12,"responseTokenCount":30},
             "serverContent":{"inputTranscription":{"text":"hello","finished":true},"outputTranscription":{"text":"Hi there"},
                              "generationComplete":true,"turnComplete":true}}
            """;

        Read(json, m =>
        {
            Assert.Equal(JsonValueKind.Object, m.Usage.ValueKind);
            Assert.Equal(12, m.Usage.GetProperty("promptTokenCount").GetInt32());
            var content = m.Content;
            Assert.Equal("hello", content.InputTranscription);
            Assert.True(content.InputTranscriptionFinished);
            Assert.Equal("Hi there", content.OutputTranscription);
            Assert.True(content.GenerationComplete);
            Assert.True(content.TurnComplete);
            Assert.False(content.Interrupted);
            Assert.Equal(JsonValueKind.Undefined, content.ModelParts.ValueKind);
            Assert.False(m.GoAway);
            Assert.Null(m.Resumption);
            return 0;
        });
    }

    [Fact]
    public void Tool_calls_and_their_cancellation_are_the_arrays_inside()
    {
        Read("""{"toolCall":{"functionCalls":[{"id":"c1","name":"get_weather","args":{"city":"Paris"}}]}}""", m =>
        {
            Assert.Equal("c1", m.FunctionCalls[0].GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.Undefined, m.CancelledCallIds.ValueKind);
            Assert.False(m.HasContent);
            return 0;
        });
        Read("""{"toolCallCancellation":{"ids":["c1","c2"]}}""", m =>
        {
            Assert.Equal(["c1", "c2"], m.CancelledCallIds.EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(JsonValueKind.Undefined, m.FunctionCalls.ValueKind);
            return 0;
        });
    }

    [Theory]
    [InlineData("""{"newHandle":"h1","resumable":true,"lastConsumedClientMessageIndex":"41"}""", "h1", true, 41L, true)]
    [InlineData("""{"newHandle":"h2","resumable":true,"lastConsumedClientMessageIndex":7}""", "h2", true, 7L, true)]
    [InlineData("""{"newHandle":"h3","resumable":true}""", "h3", true, null, true)]
    [InlineData("""{"resumable":false}""", null, false, null, false)]
    [InlineData("""{"newHandle":"","resumable":true}""", "", true, null, false)]
    public void A_resumption_update_carries_its_handle_and_the_last_consumed_message(
        string update, string? handle, bool resumable, long? consumed, bool usable)
    {
        var read = Read($$"""{"sessionResumptionUpdate":{{update}}}""", m => m.Resumption)!;

        Assert.Equal(handle, read.NewHandle);
        Assert.Equal(resumable, read.Resumable);
        Assert.Equal(consumed, read.LastConsumedClientMessageIndex);
        Assert.Equal(usable, read.Usable);
    }

    [Fact]
    public void GoAway_is_read_with_its_time_left()
    {
        Read("""{"goAway":{"timeLeft":"10s"}}""", m =>
        {
            Assert.True(m.GoAway);
            Assert.Equal("10s", m.GoAwayTimeLeft);
            return 0;
        });
        Read("""{"goAway":{}}""", m =>
        {
            Assert.True(m.GoAway);
            Assert.Null(m.GoAwayTimeLeft);
            return 0;
        });
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"setupComplete\"")]
    [InlineData("""{"serverContent":"odd","toolCall":{"functionCalls":"odd"},"toolCallCancellation":[]}""")]
    public void A_message_of_the_wrong_shape_has_no_parts(string json) =>
        Read(json, m =>
        {
            Assert.False(m.HasContent);
            Assert.Equal(JsonValueKind.Undefined, m.FunctionCalls.ValueKind);
            Assert.Equal(JsonValueKind.Undefined, m.CancelledCallIds.ValueKind);
            Assert.Equal(JsonValueKind.Undefined, m.Usage.ValueKind);
            return 0;
        });
}
