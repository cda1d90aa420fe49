namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>An image of the conversation the Router still has: part <paramref name="ContentIndex"/> of item <paramref name="ItemId"/>.</summary>
internal sealed record KeptImage(string ItemId, int ContentIndex, string MimeType, byte[] Bytes)
{
    /// <summary>The image's <c>realtimeInput.video</c> frame.</summary>
    public void WriteFrame(System.Text.Json.Utf8JsonWriter w) => GeminiClientMessages.Video(w, MimeType, Convert.ToBase64String(Bytes));
}
