using System.Buffers;
using System.Text.Json;
using VoicePlatform.RealtimeProtocol;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// conversation.item.create of a user message with <c>input_image</c> parts. Each image goes to Gemini at once as one
/// <c>realtimeInput.video</c> frame (every model takes realtimeInput; 3.1 refuses clientContent after setup), so it is
/// in Gemini's context before the item's text and audio, which are held for the next turn as any user message's are.
/// The item joins the local conversation; its added/done events show each image part without its data (as audio parts
/// come without their bytes; <see cref="GeminiImageOptions.EchoImageUrl"/> shows it as sent). The bytes are kept in
/// <see cref="SessionImages"/> for a rebuilt context, and the checkpoint gets a reference only. Callers hold the session's gate.
/// </summary>
internal sealed class GeminiImageInput(
    LocalConversation conversation, ClientEventStream events, GeminiClientContent content, GeminiLink link, GeminiCheckpoint checkpoint, bool echoImageUrl)
{
    /// <summary>A placeholder the item parser takes where an image part was, so its errors keep the client's indexes.</summary>
    private static ReadOnlySpan<byte> Placeholder => """{"type":"input_text","text":""}"""u8;

    /// <summary>Whether the event creates a user message with an input_image part (other images are refused by the item parser, as OpenAI refuses them).</summary>
    public static bool Carries(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object
        && item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("message")
        && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.ValueEquals("user")
        && item.TryGetProperty("content", out var parts) && parts.ValueKind == JsonValueKind.Array
        && parts.EnumerateArray().Any(IsImage);

    public async ValueTask<ClientError?> CreateItemAsync(JsonElement root)
    {
        if (ItemCreateChecks.Envelope(root, conversation, out var previousId) is { } envelopeError)
        {
            return envelopeError;
        }

        var itemEl = root.GetProperty("item");
        var images = new Dictionary<int, SentImage>();
        var index = 0;
        foreach (var part in itemEl.GetProperty("content").EnumerateArray())
        {
            if (IsImage(part))
            {
                if (ReadImage(part, $"item.content[{index}]", out var image) is { } imageError)
                {
                    return imageError;
                }

                images[index] = image;
            }

            index++;
        }

        // The rest of the item is checked by the item parser, with each image part replaced by an empty text.
        using var rest = JsonDocument.Parse(WithPlaceholders(itemEl));
        if (ItemParser.Parse(rest.RootElement, out var parsed, out var inputAudio) is { } error)
        {
            return error;
        }

        var item = parsed!;
        if (ItemCreateChecks.NewId(item, conversation) is { } idError)
        {
            return idError;
        }

        foreach (var at in images.Keys)
        {
            item.Content[at] = new ItemContent { Type = "input_image" };
        }

        var previous = conversation.Insert(item, previousId);
        await EmitAsync("conversation.item.added"u8, item, previous, images);
        await EmitAsync("conversation.item.done"u8, item, previous, images);

        foreach (var (at, image) in images)
        {
            GeminiClientMessages.Video(link.StartMessage(), image.Data.MimeType, image.Data.Base64.Span);
            await link.SendAsync();
            conversation.Images.Keep(item.Id, at, image.Data);
        }

        checkpoint.RecordImages(conversation.Images.References);

        link.HasContext = true;
        var text = string.Concat(item.Content.Select(c => c.Text ?? c.Transcript ?? string.Empty));
        if (text.Length > 0 || inputAudio is not null)
        {
            content.Hold([new PendingTurn("user", text, inputAudio, item.Id)]);
        }

        return null;
    }

    private static bool IsImage(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String && type.ValueEquals("input_image");

    private static ClientError? ReadImage(JsonElement part, string at, out SentImage image)
    {
        image = default;
        if (ClientJson.OnlyKnown(part, at, "type", "image_url", "detail") is { } unknown)
        {
            return unknown;
        }

        var detail = "auto";
        if (part.TryGetProperty("detail", out var detailEl) && detailEl.ValueKind != JsonValueKind.Null
            && ClientJson.Enum(detailEl, $"{at}.detail", ["auto", "low", "high"], out detail) is { } detailError)
        {
            return detailError;
        }

        if (!part.TryGetProperty("image_url", out var urlEl))
        {
            return ClientError.Missing($"{at}.image_url");
        }

        if (ClientJson.String(urlEl, $"{at}.image_url", out var url) is { } urlError)
        {
            return urlError;
        }

        if (ImageDataUri.Parse(url, $"{at}.image_url", out var data) is { } dataError)
        {
            return dataError;
        }

        image = new SentImage(url, detail, data);
        return null;
    }

    private static byte[] WithPlaceholders(JsonElement item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var property in item.EnumerateObject())
            {
                if (property.NameEquals("content"))
                {
                    w.WriteStartArray("content"u8);
                    foreach (var part in property.Value.EnumerateArray())
                    {
                        if (IsImage(part)) w.WriteRawValue(Placeholder, skipInputValidation: true); else part.WriteTo(w);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The item for its added/done events: each image part with its detail, and its image_url only when <c>echoImageUrl</c>.</summary>
    private ValueTask EmitAsync(ReadOnlySpan<byte> type, ConversationItem item, string? previous, Dictionary<int, SentImage> images)
    {
        var w = events.StartEvent(type);
        ClientEventStream.WritePrevious(w, previous);
        w.WriteStartObject("item"u8);
        w.WriteString("id"u8, item.Id);
        w.WriteString("type"u8, item.Type);
        w.WriteString("status"u8, item.Status);
        w.WriteString("role"u8, item.Role);
        w.WriteStartArray("content"u8);
        for (var i = 0; i < item.Content.Count; i++)
        {
            if (images.TryGetValue(i, out var image))
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "input_image"u8);
                if (echoImageUrl)
                {
                    w.WriteString("image_url"u8, image.Url);
                }

                w.WriteString("detail"u8, image.Detail);
                w.WriteEndObject();
            }
            else
            {
                item.Content[i].WriteTo(w);
            }
        }

        w.WriteEndArray();
        w.WriteString("object"u8, "realtime.item"u8);
        w.WriteEndObject();
        return events.EmitAsync();
    }

    private readonly record struct SentImage(string Url, string Detail, ImageDataUri Data);
}
