using System.Buffers.Text;
using System.Text.Json;
using VoicePlatform.Emulators.OpenAIRealtime.Audio;
using VoicePlatform.Emulators.OpenAIRealtime.Protocol;

namespace VoicePlatform.Emulators.OpenAIRealtime.Conversation;

/// <summary>
/// Parses a client item (conversation.item.create, response.create input). GA shapes only: beta content
/// types such as assistant <c>text</c>/<c>audio</c> are rejected like the real service does.
/// </summary>
internal static class ItemParser
{
    private static readonly string[] ItemTypes = ["message", "function_call", "function_call_output"];
    private static readonly string[] Roles = ["user", "assistant", "system"];
    private static readonly string[] Statuses = ["completed", "incomplete", "in_progress"];

    /// <param name="allowReference">response.input may also hold <c>{type:"item_reference", id}</c>.</param>
    public static RealtimeError? Parse(JsonElement e, string at, AudioFormat inputFormat, IdGenerator ids, bool allowReference,
        out ConversationItem? item, out string? referenceId)
    {
        item = null;
        referenceId = null;
        if (JsonRead.Object(e, at) is { } notObject)
        {
            return notObject;
        }
        if (!e.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        var types = allowReference ? [.. ItemTypes, "item_reference"] : ItemTypes;
        if (JsonRead.Enum(typeEl, $"{at}.type", types, out var type) is { } te)
        {
            return te;
        }

        string? id = null;
        if (e.TryGetProperty("id", out var idEl))
        {
            if (JsonRead.String(idEl, $"{at}.id", out var value) is { } ie)
            {
                return ie;
            }
            id = value;
        }
        if (type == "item_reference")
        {
            if (JsonRead.OnlyKnown(e, at, "type", "id") is { } u)
            {
                return u;
            }
            if (id is null)
            {
                return RealtimeError.Missing($"{at}.id");
            }
            referenceId = id;
            return null;
        }

        var status = "completed";
        if (e.TryGetProperty("status", out var statusEl) && JsonRead.Enum(statusEl, $"{at}.status", Statuses, out status) is { } se)
        {
            return se;
        }
        if (e.TryGetProperty("object", out var objectEl) && JsonRead.Enum(objectEl, $"{at}.object", ["realtime.item"], out _) is { } oe)
        {
            return oe;
        }
        id ??= ids.Next("item");

        switch (type)
        {
            case "function_call":
            {
                if (JsonRead.OnlyKnown(e, at, "type", "id", "object", "status", "call_id", "name", "arguments") is { } u) return u;
                if (Required(e, at, "name", out var name) is { } ne) return ne;
                if (Required(e, at, "arguments", out var arguments) is { } ae) return ae;
                string callId = ids.Next("call");
                if (e.TryGetProperty("call_id", out var callEl) && JsonRead.String(callEl, $"{at}.call_id", out callId) is { } ce) return ce;
                item = new ConversationItem { Id = id, Type = type, Status = status, Name = name, Arguments = arguments, CallId = callId };
                return null;
            }
            case "function_call_output":
            {
                if (JsonRead.OnlyKnown(e, at, "type", "id", "object", "status", "call_id", "output") is { } u) return u;
                if (Required(e, at, "call_id", out var callId) is { } ce) return ce;
                if (Required(e, at, "output", out var output) is { } oe2) return oe2;
                item = new ConversationItem { Id = id, Type = type, Status = status, CallId = callId, Output = output };
                return null;
            }
        }

        if (JsonRead.OnlyKnown(e, at, "type", "id", "object", "status", "role", "content") is { } unknown)
        {
            return unknown;
        }
        if (!e.TryGetProperty("role", out var roleEl))
        {
            return RealtimeError.Missing($"{at}.role");
        }
        if (JsonRead.Enum(roleEl, $"{at}.role", Roles, out var role) is { } roleError)
        {
            return roleError;
        }
        if (!e.TryGetProperty("content", out var content))
        {
            return RealtimeError.Missing($"{at}.content");
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return RealtimeError.InvalidType($"{at}.content", "an array", content);
        }
        var message = new ConversationItem { Id = id, Type = "message", Status = status, Role = role };
        var i = 0;
        foreach (var partEl in content.EnumerateArray())
        {
            if (ParsePart(partEl, $"{at}.content[{i++}]", role, inputFormat, out var part) is { } pe)
            {
                return pe;
            }
            message.Content.Add(part!);
        }
        item = message;
        return null;
    }

    private static RealtimeError? ParsePart(JsonElement e, string at, string role, AudioFormat inputFormat, out ContentPart? part)
    {
        part = null;
        if (JsonRead.Object(e, at) is { } notObject)
        {
            return notObject;
        }
        if (!e.TryGetProperty("type", out var typeEl))
        {
            return RealtimeError.Missing($"{at}.type");
        }
        string[] allowed = role switch
        {
            "user" => ["input_text", "input_audio", "input_image"],
            "system" => ["input_text"],
            _ => ["output_text", "output_audio"],
        };
        if (JsonRead.Enum(typeEl, $"{at}.type", allowed, out var type) is { } te)
        {
            return te;
        }
        switch (type)
        {
            case "input_text":
            case "output_text":
            {
                if (JsonRead.OnlyKnown(e, at, "type", "text") is { } u) return u;
                if (Required(e, at, "text", out var text) is { } re) return re;
                part = new ContentPart { Type = type, Text = text };
                return null;
            }
            case "output_audio":
                // The real service cannot recreate assistant audio and asks for text instead
                // (openai-agents-js#963: "Missing required parameter: 'item.content[0].text'.").
                return RealtimeError.Missing($"{at}.text");
            case "input_image":
            {
                if (JsonRead.OnlyKnown(e, at, "type", "image_url", "detail") is { } u) return u;
                if (Required(e, at, "image_url", out var url) is { } re) return re;
                var detail = "auto";
                if (e.TryGetProperty("detail", out var d) && JsonRead.Enum(d, $"{at}.detail", ["auto", "low", "high"], out detail) is { } de) return de;
                part = new ContentPart { Type = type, ImageUrl = url, Detail = detail };
                return null;
            }
            default:
            {
                if (JsonRead.OnlyKnown(e, at, "type", "audio", "transcript") is { } u) return u;
                string? transcript = null;
                if (e.TryGetProperty("transcript", out var t) && t.ValueKind != JsonValueKind.Null)
                {
                    if (JsonRead.String(t, $"{at}.transcript", out var tv) is { } tre) return tre;
                    transcript = tv;
                }
                AudioClip? clip = null;
                if (e.TryGetProperty("audio", out var a) && a.ValueKind != JsonValueKind.Null)
                {
                    if (JsonRead.String(a, $"{at}.audio", out var b64) is { } ae) return ae;
                    var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(b64.Length)];
                    if (!Convert.TryFromBase64String(b64, bytes, out var written))
                    {
                        return RealtimeError.InvalidValueMessage($"{at}.audio", $"Invalid '{at}.audio': expected base64-encoded audio.");
                    }
                    clip = new AudioClip(inputFormat, bytes[..written]);
                }
                part = new ContentPart { Type = type, Transcript = transcript, Audio = clip };
                return null;
            }
        }
    }

    private static RealtimeError? Required(JsonElement e, string at, string name, out string value)
    {
        value = "";
        return e.TryGetProperty(name, out var v) ? JsonRead.String(v, $"{at}.{name}", out value) : RealtimeError.Missing($"{at}.{name}");
    }
}
