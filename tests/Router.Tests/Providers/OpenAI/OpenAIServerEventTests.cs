using System.Text;
using System.Text.Json;
using VoicePlatform.Router.Providers.OpenAI;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Tests.Providers.OpenAI;

/// <summary>Reading OpenAI provider events (as the GA service sends them) in one pass, without sockets.</summary>
public class OpenAIServerEventTests
{
    private readonly Utf8StringCache _responseIds = new();
    private readonly Utf8StringCache _itemIds = new();

    private OpenAIServerEvent Read(string json) => OpenAIServerEvent.Read(Encoding.UTF8.GetBytes(json), _responseIds, _itemIds);

    [Fact]
    public void An_audio_delta_gives_its_ids_indices_and_where_its_audio_lies()
    {
        const string json = """{"type":"response.output_audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":1,"content_index":2,"delta":"AAEC"}""";

        var read = Read(json);

        Assert.Equal((OpenAIEventKind.AudioDelta, "response.output_audio.delta", "resp_1", "item_1", 1, 2), (read.Kind, read.Type, read.ResponseId, read.ItemId, read.OutputIndex, read.ContentIndex));
        Assert.True(read.IsCompleteAudioDelta);
        Assert.False(read.DeltaEscaped);
        Assert.Equal("AAEC", json.Substring(read.DeltaStart, read.DeltaLength));
    }

    [Fact]
    public void A_stream_of_deltas_for_one_item_reuses_its_id_strings()
    {
        var first = Read("""{"type":"response.output_audio.delta","response_id":"resp_7","item_id":"item_7","delta":"AA=="}""");
        var second = Read("""{"response_id":"resp_7","item_id":"item_7","type":"response.output_audio.delta","delta":"AQ=="}""");

        Assert.Same(first.ResponseId, second.ResponseId);
        Assert.Same(first.ItemId, second.ItemId);
        Assert.True(second.IsCompleteAudioDelta);
    }

    [Fact]
    public void An_escaped_delta_is_flagged_to_be_decoded_from_its_string()
    {
        var read = Read("""{"type":"response.output_audio.delta","response_id":"r","item_id":"i","delta":"AA\/B"}""");

        Assert.True(read.DeltaEscaped);
    }

    [Fact]
    public void A_delta_without_its_ids_is_not_relayed_as_audio()
    {
        Assert.False(Read("""{"type":"response.output_audio.delta","delta":"AAEC"}""").IsCompleteAudioDelta);
    }

    [Theory]
    [InlineData("session.created", OpenAIEventKind.SessionCreated)]
    [InlineData("session.updated", OpenAIEventKind.SessionUpdated)]
    [InlineData("error", OpenAIEventKind.Error)]
    [InlineData("conversation.item.added", OpenAIEventKind.ItemAdded)]
    [InlineData("conversation.item.done", OpenAIEventKind.ItemDone)]
    [InlineData("conversation.item.deleted", OpenAIEventKind.ItemDeleted)]
    [InlineData("conversation.item.truncated", OpenAIEventKind.ItemTruncated)]
    [InlineData("conversation.item.input_audio_transcription.completed", OpenAIEventKind.TranscriptionCompleted)]
    [InlineData("conversation.item.input_audio_transcription.failed", OpenAIEventKind.TranscriptionFailed)]
    [InlineData("response.created", OpenAIEventKind.ResponseCreated)]
    [InlineData("input_audio_buffer.speech_started", OpenAIEventKind.SpeechStarted)]
    [InlineData("input_audio_buffer.speech_stopped", OpenAIEventKind.SpeechStopped)]
    [InlineData("input_audio_buffer.committed", OpenAIEventKind.Committed)]
    [InlineData("input_audio_buffer.cleared", OpenAIEventKind.Cleared)]
    [InlineData("response.done", OpenAIEventKind.ResponseDone)]
    [InlineData("response.output_audio_transcript.delta", OpenAIEventKind.Other)]
    [InlineData("rate_limits.updated", OpenAIEventKind.Other)]
    public void Other_events_give_their_kind_and_type(string type, OpenAIEventKind kind)
    {
        var read = Read($$$"""{"type":"{{{type}}}","event_id":"event_2","response":{"id":"resp_2","output":[]}}""");

        Assert.Equal((kind, type), (read.Kind, read.Type));
        Assert.Null(read.ResponseId);
    }

    [Fact]
    public void An_escaped_type_has_the_kind_of_the_type_it_spells()
    {
        Assert.Equal((OpenAIEventKind.ResponseDone, "response.done"), (Read("""{"type":"response\u002edone"}""").Kind, Read("""{"type":"response\u002edone"}""").Type));
        Assert.Equal(OpenAIEventKind.AudioDelta, Read("""{"type":"response.output_audio\u002edelta","delta":"AAAA"}""").Kind);
    }

    [Fact]
    public void An_event_without_a_readable_type_is_relayed_as_it_came()
    {
        Assert.Equal((OpenAIEventKind.Other, ""), (Read("""{"type":5,"delta":"x"}""").Kind, Read("""{"type":5}""").Type));
        Assert.Equal("vendor.extension", Read("""{"type":"vendor.extension"}""").Type);
    }

    [Fact]
    public void A_message_that_is_not_an_object_is_refused()
    {
        Assert.ThrowsAny<JsonException>(() => Read("""["type"]"""));
    }
}
