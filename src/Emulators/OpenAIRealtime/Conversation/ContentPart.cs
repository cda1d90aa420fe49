using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Conversation;

/// <summary>One entry of a message item's <c>content</c> array (GA type names: input_text, output_audio, …).</summary>
internal sealed class ContentPart
{
    public required string Type { get; init; }
    public string? Text { get; set; }
    public string? Transcript { get; set; }
    public AudioClip? Audio { get; set; }
    public string? ImageUrl { get; init; }
    public string? Detail { get; init; }

    public bool IsAudio => Type is "input_audio" or "output_audio";

    public void WriteTo(Utf8JsonWriter w, bool includeAudio)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, Type);
        switch (Type)
        {
            case "input_text":
            case "output_text":
                w.WriteString("text"u8, Text ?? "");
                break;
            case "input_audio":
            case "output_audio":
                if (includeAudio && Audio is not null)
                {
                    w.WriteBase64String("audio"u8, Audio.Bytes);
                }
                if (Transcript is null) w.WriteNull("transcript"u8); else w.WriteString("transcript"u8, Transcript);
                break;
            case "input_image":
                w.WriteString("image_url"u8, ImageUrl ?? "");
                w.WriteString("detail"u8, Detail ?? "auto");
                break;
        }
        w.WriteEndObject();
    }
}
