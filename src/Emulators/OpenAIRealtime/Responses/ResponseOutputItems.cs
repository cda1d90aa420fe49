using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Conversation;
using VoicePlatform.Emulators.OpenAIRealtime.Sessions;

namespace VoicePlatform.Emulators.OpenAIRealtime.Responses;

/// <summary>
/// A response's output items and the one being streamed: output_item.added/done with their conversation.item
/// counterparts, the item's single content part, and the ids every content event carries.
/// </summary>
internal sealed class ResponseOutputItems(RealtimeSession session, string responseId, ResponseParameters parameters)
{
    private readonly List<ConversationItem> _items = [];
    private bool _partOpen;

    public IReadOnlyList<ConversationItem> Items => _items;
    public ConversationItem? Current { get; private set; }
    public ContentPart? Part { get; private set; }

    /// <summary>The output_index of the current item.</summary>
    public int CurrentIndex => _items.Count - 1;

    public async ValueTask AddAsync(ConversationItem item)
    {
        Current = item;
        _items.Add(item);
        var w = session.Writer.Start("response.output_item.added"u8);
        w.WriteString("response_id"u8, responseId);
        w.WriteNumber("output_index"u8, CurrentIndex);
        w.WritePropertyName("item"u8);
        item.WriteTo(w);
        await session.SendAsync();

        if (!parameters.OutOfBand)
        {
            var previous = session.Conversation.Insert(item, null);
            w = session.Writer.Start("conversation.item.added"u8);
            WritePrevious(w, previous);
            w.WritePropertyName("item"u8);
            item.WriteTo(w);
            await session.SendAsync();
        }
    }

    public async ValueTask OpenMessageAsync(bool audio)
    {
        var item = new ConversationItem { Id = session.Ids.Next("item"), Type = "message", Role = "assistant", Status = "in_progress" };
        await AddAsync(item);
        Part = audio
            ? new ContentPart { Type = "output_audio", Transcript = "", Audio = new AudioClip(parameters.OutputFormat) }
            : new ContentPart { Type = "output_text", Text = "" };
        item.Content.Add(Part);
        _partOpen = true;

        var w = StartContentEvent("response.content_part.added"u8);
        WritePart(w);
        await session.SendAsync();
    }

    public async ValueTask CloseCurrentAsync(string status)
    {
        var item = Current!;
        if (_partOpen)
        {
            _partOpen = false;
            if (Part!.Type == "output_audio")
            {
                StartContentEvent("response.output_audio.done"u8);
                await session.SendAsync();
                var w = StartContentEvent("response.output_audio_transcript.done"u8);
                w.WriteString("transcript"u8, Part.Transcript ?? "");
                await session.SendAsync();
            }
            else
            {
                var w = StartContentEvent("response.output_text.done"u8);
                w.WriteString("text"u8, Part.Text ?? "");
                await session.SendAsync();
            }
            var done = StartContentEvent("response.content_part.done"u8);
            WritePart(done);
            await session.SendAsync();
        }

        item.Status = status;
        var itemDone = session.Writer.Start("response.output_item.done"u8);
        itemDone.WriteString("response_id"u8, responseId);
        itemDone.WriteNumber("output_index"u8, CurrentIndex);
        itemDone.WritePropertyName("item"u8);
        item.WriteTo(itemDone);
        await session.SendAsync();

        if (!parameters.OutOfBand && session.Conversation.Contains(item.Id))
        {
            var w = session.Writer.Start("conversation.item.done"u8);
            WritePrevious(w, session.Conversation.PreviousIdOf(item));
            w.WritePropertyName("item"u8);
            item.WriteTo(w);
            await session.SendAsync();
        }
    }

    public Utf8JsonWriter StartContentEvent(ReadOnlySpan<byte> type)
    {
        var w = session.Writer.Start(type);
        w.WriteString("response_id"u8, responseId);
        w.WriteString("item_id"u8, Current!.Id);
        w.WriteNumber("output_index"u8, CurrentIndex);
        w.WriteNumber("content_index"u8, 0);
        return w;
    }

    /// <summary>The content part as response events show it: type "audio"/"text" (items say output_audio/output_text).</summary>
    private void WritePart(Utf8JsonWriter w)
    {
        w.WriteStartObject("part"u8);
        if (Part!.Type == "output_audio")
        {
            w.WriteString("type"u8, "audio"u8);
            w.WriteString("transcript"u8, Part.Transcript ?? "");
        }
        else
        {
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, Part.Text ?? "");
        }
        w.WriteEndObject();
    }

    private static void WritePrevious(Utf8JsonWriter w, string? previous)
    {
        if (previous is null) w.WriteNull("previous_item_id"u8); else w.WriteString("previous_item_id"u8, previous);
    }
}
