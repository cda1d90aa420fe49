using System.Text.Json.Nodes;

namespace VoicePlatform.Router.Providers.OpenAI;

/// <summary>
/// Turns a recorded session and conversation into the client events that rebuild them on a fresh OpenAI
/// connection: one <c>session.update</c> and one <c>conversation.item.create</c> per item, keeping item ids.
/// </summary>
internal static class OpenAIReplay
{
    /// <summary>Fields of a server-side session object that a <c>session.update</c> may not carry.</summary>
    private static readonly string[] ReadOnlySessionFields = ["id", "object", "expires_at", "model", "client_secret"];

    /// <summary>The session as a <c>session.update</c> payload (read-only fields removed; audio formats unchanged).</summary>
    public static JsonObject? SessionForUpdate(JsonObject? session)
    {
        if (session is null) return null;
        var copy = session.DeepClone().AsObject();
        foreach (var field in ReadOnlySessionFields) copy.Remove(field);
        copy["type"] ??= "realtime";
        return copy;
    }

    /// <summary>
    /// Removes the field a validation error points at (<c>param</c> like <c>session.audio.input.foo</c> or
    /// <c>session.tools[0].meta</c>) so the rest of the session can still be applied. False when the path is not there.
    /// </summary>
    public static bool RemoveParam(JsonObject session, string param)
    {
        var segments = param.Split('.');
        if (segments.Length < 2 || segments[0] != "session") return false;
        JsonNode? node = session;
        for (var i = 1; i < segments.Length; i++)
        {
            var (name, index) = Split(segments[i]);
            var last = i == segments.Length - 1;
            if (node is not JsonObject obj || !obj.ContainsKey(name)) return false;
            if (index is null)
            {
                if (last) return obj.Remove(name);
                node = obj[name];
                continue;
            }
            if (obj[name] is not JsonArray array || index.Value >= array.Count) return false;
            if (last)
            {
                array.RemoveAt(index.Value);
                return true;
            }
            node = array[index.Value];
        }
        return false;
    }

    private static (string Name, int? Index) Split(string segment)
    {
        var open = segment.IndexOf('[');
        if (open < 0 || !segment.EndsWith(']')) return (segment, null);
        return int.TryParse(segment.AsSpan(open + 1, segment.Length - open - 2), out var index) ? (segment[..open], index) : (segment, null);
    }

    /// <summary>
    /// A recorded item as a <c>conversation.item.create</c> item with the same id, or null when it cannot be recreated
    /// (MCP items, unknown types). Audio bytes are not replayed: a user <c>input_audio</c> part becomes
    /// <c>input_text</c> with its transcript (dropped when there is none), an assistant <c>output_audio</c> part becomes
    /// <c>output_text</c> with its transcript (the API cannot recreate assistant audio and asks for text).
    /// </summary>
    public static JsonObject? ItemForCreate(JsonObject item)
    {
        var id = item["id"].Str();
        var type = item["type"].Str();
        if (string.IsNullOrEmpty(id)) return null;
        switch (type)
        {
            case "function_call":
                if (item["call_id"] is null || item["name"] is null) return null;
                var call = new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "function_call",
                    ["call_id"] = item["call_id"].Str(),
                    ["name"] = item["name"].Str(),
                    ["arguments"] = item["arguments"].Str() ?? "{}",
                };
                CopyStatus(item, call);
                return call;
            case "function_call_output":
                if (item["call_id"] is null) return null;
                return new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "function_call_output",
                    ["call_id"] = item["call_id"].Str(),
                    ["output"] = item["output"].Str() ?? "",
                };
            case "message":
                var role = item["role"].Str();
                if (role is not ("user" or "assistant" or "system")) return null;
                var content = new JsonArray();
                if (item["content"] is JsonArray parts)
                {
                    foreach (var part in parts.OfType<JsonObject>())
                    {
                        if (ContentForCreate(part, role) is { } converted) content.Add(converted);
                    }
                }
                if (content.Count == 0)
                {
                    // Nothing replayable (audio with no transcript): keep the item, and so its id, with empty text.
                    content.Add(new JsonObject { ["type"] = role == "assistant" ? "output_text" : "input_text", ["text"] = "" });
                }
                var message = new JsonObject { ["id"] = id, ["type"] = "message", ["role"] = role, ["content"] = content };
                CopyStatus(item, message);
                return message;
            default:
                return null;
        }
    }

    private static JsonObject? ContentForCreate(JsonObject part, string role)
    {
        var type = part["type"].Str();
        if (role == "assistant")
        {
            return type switch
            {
                "output_text" or "text" => new JsonObject { ["type"] = "output_text", ["text"] = part["text"].Str() ?? "" },
                "output_audio" or "audio" => new JsonObject { ["type"] = "output_text", ["text"] = part["transcript"].Str() ?? "" },
                _ => null,
            };
        }
        return type switch
        {
            "input_text" => new JsonObject { ["type"] = "input_text", ["text"] = part["text"].Str() ?? "" },
            "input_audio" when role == "user" && !string.IsNullOrEmpty(part["transcript"].Str()) =>
                new JsonObject { ["type"] = "input_text", ["text"] = part["transcript"].Str() },
            "input_image" when role == "user" && part["image_url"] is not null => ImagePart(part),
            _ => null,
        };
    }

    private static JsonObject ImagePart(JsonObject part)
    {
        var image = new JsonObject { ["type"] = "input_image", ["image_url"] = part["image_url"].Str() };
        if (part["detail"].Str() is { } detail) image["detail"] = detail;
        return image;
    }

    private static void CopyStatus(JsonObject from, JsonObject to)
    {
        // An interrupted reply stays marked incomplete; in_progress never gets here (only finished items are recorded).
        if (from["status"].Str() is "incomplete") to["status"] = "incomplete";
    }
}

internal static class JsonNodeText
{
    /// <summary>The node's string value, or null when it is absent, null or not a string.</summary>
    public static string? Str(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static int? Int(this JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static long? Long(this JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
