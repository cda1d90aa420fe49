using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol.Tests.Items;

/// <summary>conversation.item.create's <c>item</c>: the three GA shapes, ids, and OpenAI's errors for the rest.</summary>
public class ItemParserTests
{
    private static ClientError? Parse(string json, out ConversationItem? item, out byte[]? audio)
    {
        using var document = JsonDocument.Parse(json);
        return ItemParser.Parse(document.RootElement, out item, out audio);
    }

    [Fact]
    public void A_user_message_with_text_and_audio_keeps_its_id_and_hands_over_the_audio_bytes()
    {
        var pcm = new byte[] { 1, 0, 2, 0 };
        var error = Parse($$"""{"type":"message","id":"item_mine","role":"user","content":[{"type":"input_text","text":"hi"},{"type":"input_audio","audio":"{{Convert.ToBase64String(pcm)}}"}]}""",
            out var item, out var audio);

        Assert.Null(error);
        Assert.Equal(("item_mine", "message", "user"), (item!.Id, item.Type, item.Role));
        Assert.Equal(2, item.Content.Count);
        Assert.Equal(pcm, audio);
    }

    [Fact]
    public void An_item_without_an_id_gets_one_in_OpenAIs_shape()
    {
        Assert.Null(Parse("""{"type":"function_call_output","call_id":"call_1","output":"{\"ok\":true}"}""", out var item, out _));

        Assert.StartsWith("item_", item!.Id);
        Assert.Equal(("call_1", "{\"ok\":true}"), (item.CallId, item.Output));
    }

    [Theory]
    [InlineData("""{"role":"user","content":[]}""", "missing_required_parameter", "item.type")]
    [InlineData("""{"type":"note"}""", "invalid_value", "item.type")]
    [InlineData("""{"type":"message","role":"user","content":[],"mood":"happy"}""", "unknown_parameter", "item.mood")]
    [InlineData("""{"type":"message","role":"robot","content":[]}""", "invalid_value", "item.role")]
    [InlineData("""{"type":"message","id":7,"role":"user","content":[]}""", "invalid_type", "item.id")]
    public void A_malformed_item_is_an_OpenAI_error_naming_the_field(string json, string code, string param)
    {
        var error = Parse(json, out var item, out _);

        Assert.Null(item);
        Assert.Equal((code, param), (error?.Code, error?.Param));
    }
}
