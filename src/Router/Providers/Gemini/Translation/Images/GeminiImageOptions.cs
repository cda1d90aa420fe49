namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>Image input (section <c>Providers:Gemini:Images</c>): what a session keeps, and what the client sees echoed.</summary>
public sealed class GeminiImageOptions
{
    /// <summary>
    /// Images a session keeps in this Router's memory (the newest), to send again when its context is rebuilt from the
    /// conversation. Older ones are described in text instead ("no longer available").
    /// </summary>
    public int KeptPerSession { get; set; } = 8;

    /// <summary>The most image bytes (decoded) a session keeps; the oldest images go first.</summary>
    public long KeptBytesPerSession { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The protocol file does not say whether OpenAI echoes an image's data URI in conversation.item.added/done (it
    /// says "no audio bytes" for audio). Off (default): the echoed part is <c>{"type":"input_image","detail":…}</c>,
    /// as audio parts come without their bytes. On: the part as sent, with its <c>image_url</c> (up to ~13 MB per image).
    /// The checkpoint never stores the data either way.
    /// </summary>
    public bool EchoImageUrl { get; set; }
}
