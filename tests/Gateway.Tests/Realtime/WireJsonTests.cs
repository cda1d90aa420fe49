using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoicePlatform.Contracts.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Gateway.Tests.Realtime;

/// <summary>The platform's JSON encoder: only what JSON requires is escaped, and the output is always valid JSON.</summary>
public sealed class WireJsonTests
{
    private const string Text = "2+2 <ok> & it's café 😀";

    [Fact]
    public void Characters_json_allows_are_written_as_themselves_by_every_writer()
    {
        var node = new JsonObject { ["text"] = Text };
        var fromNode = Encoding.UTF8.GetString(WireJson.ToUtf8Bytes(node));
        var fromSerializer = JsonSerializer.Serialize(new { text = Text }, WireJson.Options);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("text"u8, Encoding.UTF8.GetBytes(Text)); // the UTF-8 path
            writer.WriteEndObject();
        }
        var fromUtf8 = Encoding.UTF8.GetString(buffer.WrittenSpan);

        foreach (var json in new[] { fromNode, fromSerializer, fromUtf8 })
        {
            Assert.Equal($$"""{"text":"{{Text}}"}""", json);
            Assert.Equal(Text, JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
        }
    }

    [Fact]
    public void Error_events_keep_quotes_in_their_messages_readable()
    {
        var json = Encoding.UTF8.GetString(RealtimeErrorEvent.Missing("session.type", "evt_1").ToJson());
        Assert.Contains("Missing required parameter: 'session.type'.", json);
        Assert.DoesNotContain("\\u", json);
    }

    [Theory]
    [InlineData("quote \" backslash \\", "quote \\\" backslash \\\\")]
    [InlineData("line\nbreak\ttab\r\b\f", "line\\nbreak\\ttab\\r\\b\\f")]
    [InlineData("bell \u0007 unit \u001F", "bell \\u0007 unit \\u001F")]
    public void What_json_requires_is_still_escaped(string value, string expected)
    {
        var json = JsonSerializer.Serialize(value, WireJson.Options);
        Assert.Equal($"\"{expected}\"", json, ignoreCase: true);
        Assert.Equal(value, JsonSerializer.Deserialize<string>(json));
    }

    [Fact]
    public void A_lone_surrogate_is_not_text_and_becomes_the_replacement_character()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes("lone \uD800 surrogate", WireJson.Options);
        Assert.True(System.Text.Unicode.Utf8.IsValid(json));
        Assert.Equal("lone \uFFFD surrogate", JsonSerializer.Deserialize<string>(json));
    }

    [Fact]
    public void Invalid_utf8_is_never_copied_into_the_output()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("text"u8, [(byte)'o', (byte)'k', 0xC3, (byte)'!']);
            writer.WriteEndObject();
        }
        Assert.True(System.Text.Unicode.Utf8.IsValid(buffer.WrittenSpan));
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.StartsWith("ok", document.RootElement.GetProperty("text").GetString());
    }
}
