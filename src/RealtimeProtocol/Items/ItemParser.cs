using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>The <c>item</c> of conversation.item.create: GA message / function_call / function_call_output shapes.</summary>
public static class ItemParser
{
    /// <param name="inputAudio">For a user input_audio part: its PCM16 24 kHz bytes (a translator sends them to its provider as input audio).</param>
    public static ClientError? Parse(JsonElement v, out ConversationItem? item, out byte[]? inputAudio)
    {
        const string at = "item";
        item = null;
        inputAudio = null;
        if (ClientJson.Object(v, at) is { } e)
        {
            return e;
        }

        if (!v.TryGetProperty("type", out var typeEl))
        {
            return ClientError.Missing("item.type");
        }

        if (ClientJson.Enum(typeEl, "item.type", ["message", "function_call", "function_call_output"], out var type) is { } te)
        {
            return te;
        }

        string? id = null;
        if (v.TryGetProperty("id", out var idEl) && idEl.ValueKind != JsonValueKind.Null)
        {
            if (ClientJson.String(idEl, "item.id", out var value) is { } ie)
            {
                return ie;
            }

            id = value;
        }

        id ??= RealtimeIds.New("item");
        return type switch
        {
            "message" => ParseMessage(v, id, out item, out inputAudio),
            "function_call" => ParseFunctionCall(v, id, out item),
            _ => ParseFunctionCallOutput(v, id, out item),
        };
    }

    private static ClientError? ParseMessage(JsonElement v, string id, out ConversationItem? item, out byte[]? inputAudio)
    {
        item = null;
        inputAudio = null;
        if (ClientJson.OnlyKnown(v, "item", "type", "id", "object", "status", "role", "content") is { } unknown)
        {
            return unknown;
        }

        if (!v.TryGetProperty("role", out var roleEl))
        {
            return ClientError.Missing("item.role");
        }

        if (ClientJson.Enum(roleEl, "item.role", ["user", "assistant", "system"], out var role) is { } re)
        {
            return re;
        }

        if (!v.TryGetProperty("content", out var content))
        {
            return ClientError.Missing("item.content");
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return ClientError.InvalidType("item.content", "an array", content);
        }

        string[] allowed = role switch
        {
            "user" => ["input_text", "input_audio"],
            "system" => ["input_text"],
            _ => ["output_text", "output_audio"],
        };
        var result = new ConversationItem { Id = id, Type = "message", Role = role };
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var at = $"item.content[{i++}]";
            if (ClientJson.Object(part, at) is { } pe)
            {
                return pe;
            }

            if (!part.TryGetProperty("type", out var partType))
            {
                return ClientError.Missing($"{at}.type");
            }

            if (ClientJson.Enum(partType, $"{at}.type", allowed, out var kind) is { } ke)
            {
                return ke;
            }

            var parsed = new ItemContent { Type = kind };
            switch (kind)
            {
                case "input_text" or "output_text":
                    if (ClientJson.OnlyKnown(part, at, "type", "text") is { } tu)
                    {
                        return tu;
                    }

                    if (!part.TryGetProperty("text", out var text))
                    {
                        return ClientError.Missing($"{at}.text");
                    }

                    if (ClientJson.String(text, $"{at}.text", out var value) is { } tv)
                    {
                        return tv;
                    }

                    parsed.Text = value;
                    break;
                default:
                    if (ClientJson.OnlyKnown(part, at, "type", "audio", "transcript") is { } au)
                    {
                        return au;
                    }

                    if (part.TryGetProperty("transcript", out var transcript) && transcript.ValueKind != JsonValueKind.Null)
                    {
                        if (ClientJson.String(transcript, $"{at}.transcript", out var t) is { } tre)
                        {
                            return tre;
                        }

                        parsed.Transcript = t;
                    }

                    if (part.TryGetProperty("audio", out var audio) && audio.ValueKind != JsonValueKind.Null)
                    {
                        if (audio.ValueKind != JsonValueKind.String || !audio.TryGetBytesFromBase64(out var bytes))
                        {
                            return ClientError.InvalidValueMessage($"{at}.audio", $"Invalid '{at}.audio': expected base64-encoded audio.");
                        }

                        // Canonical audio is PCM16 24 kHz.
                        parsed.AudioMs = bytes.Length / 48.0;
                        if (kind == "input_audio")
                        {
                            inputAudio = inputAudio is null ? bytes : [.. inputAudio, .. bytes];
                        }
                    }

                    break;
            }

            result.Content.Add(parsed);
        }

        item = result;
        return null;
    }

    private static ClientError? ParseFunctionCall(JsonElement v, string id, out ConversationItem? item)
    {
        item = null;
        if (ClientJson.OnlyKnown(v, "item", "type", "id", "object", "status", "call_id", "name", "arguments") is { } unknown)
        {
            return unknown;
        }

        var error = Required(v, "call_id", out var callId);
        var name = string.Empty;
        var arguments = string.Empty;
        error ??= Required(v, "name", out name);
        error ??= Required(v, "arguments", out arguments);
        if (error is not null)
        {
            return error;
        }

        item = new ConversationItem { Id = id, Type = "function_call", CallId = callId, Name = name, Arguments = arguments };
        return null;
    }

    private static ClientError? ParseFunctionCallOutput(JsonElement v, string id, out ConversationItem? item)
    {
        item = null;
        if (ClientJson.OnlyKnown(v, "item", "type", "id", "object", "status", "call_id", "output") is { } unknown)
        {
            return unknown;
        }

        var error = Required(v, "call_id", out var callId);
        var output = string.Empty;
        error ??= Required(v, "output", out output);
        if (error is not null)
        {
            return error;
        }

        item = new ConversationItem { Id = id, Type = "function_call_output", CallId = callId, Output = output };
        return null;
    }

    private static ClientError? Required(JsonElement v, string name, out string value)
    {
        value = string.Empty;
        return v.TryGetProperty(name, out var el) ? ClientJson.String(el, $"item.{name}", out value) : ClientError.Missing($"item.{name}");
    }
}
