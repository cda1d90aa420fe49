using System.Text.Json.Serialization;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// What the checkpoint records about an image instead of its bytes (provider state <c>gemini_images</c>): which item
/// part it was, its media type, size and SHA-256 (hex), so a later Router knows what the user shared, not what it showed.
/// </summary>
internal sealed record ImageReference(
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("content_index")] int ContentIndex,
    [property: JsonPropertyName("media_type")] string MediaType,
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);
