using System.Text.Json;

namespace VoicePlatform.Router.Sessions;

/// <summary>What a restored conversation item (OpenAI GA item shape, as checkpointed) is.</summary>
public static class ConversationItemShapes
{
    /// <summary>A user message made from input audio (a committed turn), as opposed to one the client created.</summary>
    public static bool IsSpokenUserMessage(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
        && item.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String && role.ValueEquals("user")
        && item.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
        && content.EnumerateArray().Any(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type)
            && type.ValueKind == JsonValueKind.String && type.ValueEquals("input_audio"));
}
