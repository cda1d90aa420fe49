using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Transcripts;

/// <summary>A page of search hits, newest first.</summary>
public sealed record SearchResultsResponse(
    [property: JsonPropertyName("data")] IReadOnlyList<SearchHitResponse> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("next_cursor")] string? NextCursor)
{
    [JsonPropertyName("object")] public string Object => "list";
}
