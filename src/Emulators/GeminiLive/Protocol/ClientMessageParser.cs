using System.Text.Json;
using VoicePlatform.Emulators.GeminiLive.Configuration;

namespace VoicePlatform.Emulators.GeminiLive.Protocol;

/// <summary>
/// Turns one client frame into a typed message, applying the envelope strictness of the real
/// service: exactly one top-level field, one field per realtimeInput, proto3 JSON field names.
/// Runs on the receive loop so base64 decoding stays off the session loop.
/// </summary>
internal static class ClientMessageParser
{
    private static readonly HashSet<string> ClientContentFields = ["turns", "turnComplete"];
    private static readonly HashSet<string> RealtimeInputFields =
        ["mediaChunks", "audio", "video", "text", "activityStart", "activityEnd", "audioStreamEnd"];
    private static readonly HashSet<string> ToolResponseFields = ["functionResponses"];

    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8, long index, StrictOptions strict)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return new InvalidMessage(index, CloseDirective.Invalid("Invalid JSON payload received. Unexpected token."));
        }

        using (document)
        {
            try
            {
                return ParseEnvelope(document.RootElement, index, strict);
            }
            catch (FormatException)
            {
                return new InvalidMessage(index, CloseDirective.Invalid());
            }
            catch (InvalidOperationException)
            {
                // JsonElement accessors throw this for a value of the wrong JSON type.
                return new InvalidMessage(index, CloseDirective.Invalid());
            }
        }
    }

    private static ClientMessage ParseEnvelope(JsonElement root, long index, StrictOptions strict)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new InvalidMessage(index, CloseDirective.Invalid("Invalid JSON payload received. Expected an object."));
        }

        string? kind = null;
        JsonElement body = default;
        var count = 0;
        foreach (var property in root.EnumerateObject())
        {
            var known = property.Name is "setup" or "clientContent" or "realtimeInput" or "toolResponse"
                || (property.Name == "contextUpdate" && strict.AcceptContextUpdate);
            if (!known)
            {
                if (strict.RejectUnknownFields)
                {
                    return new InvalidMessage(index, CloseDirective.Invalid(
                        $"Invalid JSON payload received. Unknown name \"{property.Name}\": Cannot find field."));
                }

                continue;
            }

            count++;
            kind = property.Name;
            body = property.Value;
        }

        if (count != 1 || kind is null)
        {
            return new InvalidMessage(index, CloseDirective.Invalid());
        }

        return kind switch
        {
            "setup" => body.ValueKind == JsonValueKind.Object
                ? new SetupMessage(index, body.Clone())
                : new InvalidMessage(index, CloseDirective.Invalid()),
            "clientContent" => ParseClientContent(body, index, strict),
            "realtimeInput" => ParseRealtimeInput(body, index, strict),
            "toolResponse" => ParseToolResponse(body, index, strict),
            _ => new ContextUpdateMessage(index, body.Clone()),
        };
    }

    private static InvalidMessage? UnknownField(JsonElement body, HashSet<string> known, string at, long index, StrictOptions strict)
    {
        if (!strict.RejectUnknownFields || body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                return new InvalidMessage(index, CloseDirective.Invalid(
                    $"Invalid JSON payload received. Unknown name \"{property.Name}\" at '{at}': Cannot find field."));
            }
        }

        return null;
    }

    private static ClientMessage ParseClientContent(JsonElement body, long index, StrictOptions strict)
    {
        if (UnknownField(body, ClientContentFields, "client_content", index, strict) is { } invalid)
        {
            return invalid;
        }

        var turns = new List<ContentTurn>();
        if (body.TryGetProperty("turns", out var turnsElement) && turnsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var content in turnsElement.EnumerateArray())
            {
                turns.Add(ContentReader.Read(content));
            }
        }

        var turnComplete = body.TryGetProperty("turnComplete", out var tc) && tc.ValueKind == JsonValueKind.True;
        return new ClientContentMessage(index, turns, turnComplete);
    }

    private static ClientMessage ParseRealtimeInput(JsonElement body, long index, StrictOptions strict)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return new InvalidMessage(index, CloseDirective.Invalid());
        }

        if (UnknownField(body, RealtimeInputFields, "realtime_input", index, strict) is { } invalid)
        {
            return invalid;
        }

        var fields = 0;
        ClientMessage? result = null;
        foreach (var property in body.EnumerateObject())
        {
            fields++;
            result = property.Name switch
            {
                "audio" => ParseBlob(property.Value, index),
                "video" => ParseBlob(property.Value, index),
                "text" => new TextInput(index, property.Value.GetString() ?? string.Empty),
                "activityStart" => new ActivityStartInput(index),
                "activityEnd" => new ActivityEndInput(index),
                "audioStreamEnd" => property.Value.ValueKind == JsonValueKind.True
                    ? new AudioStreamEndInput(index)
                    : null,
                "mediaChunks" => ParseMediaChunks(property.Value, index),
                _ => null,
            };
        }

        if (fields > 1 && strict.OneFieldPerRealtimeInput)
        {
            return new InvalidMessage(index, CloseDirective.Invalid());
        }

        // An empty realtimeInput (or audioStreamEnd:false) is a no-op; model it as an empty media list.
        return result ?? new MediaChunksInput(index, []);
    }

    private static ClientMessage ParseMediaChunks(JsonElement chunks, long index)
    {
        var list = new List<ClientMessage>();
        foreach (var chunk in chunks.EnumerateArray())
        {
            var parsed = ParseBlob(chunk, index);
            if (parsed is InvalidMessage)
            {
                return parsed;
            }

            list.Add(parsed);
        }

        return new MediaChunksInput(index, list);
    }

    private static ClientMessage ParseBlob(JsonElement blob, long index)
    {
        var mimeType = blob.TryGetProperty("mimeType", out var m) ? m.GetString() ?? string.Empty : string.Empty;
        var data = blob.TryGetProperty("data", out var d) ? d.GetBytesFromBase64() : [];
        if (mimeType.StartsWith("audio/pcm", StringComparison.OrdinalIgnoreCase))
        {
            var rate = AudioMime.ParseRate(mimeType, 16000);
            if (rate is < 8000 or > 48000)
            {
                return new InvalidMessage(index, CloseDirective.Invalid());
            }

            var even = data.Length & ~1;
            return new AudioInput(index, even == data.Length ? data : data[..even], rate);
        }

        if (mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
        {
            return new VideoInput(index);
        }

        return new InvalidMessage(index, CloseDirective.Invalid());
    }

    private static ClientMessage ParseToolResponse(JsonElement body, long index, StrictOptions strict)
    {
        if (UnknownField(body, ToolResponseFields, "tool_response", index, strict) is { } invalid)
        {
            return invalid;
        }

        var responses = new List<FunctionResponseItem>();
        if (body.TryGetProperty("functionResponses", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                var id = item.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
                var name = item.TryGetProperty("name", out var nameElement) ? nameElement.GetString() ?? string.Empty : string.Empty;
                var response = item.TryGetProperty("response", out var r) ? r.Clone() : default;
                var scheduling = item.TryGetProperty("scheduling", out var s) ? s.GetString() : null;
                var willContinue = item.TryGetProperty("willContinue", out var w) && w.ValueKind == JsonValueKind.True;
                responses.Add(new FunctionResponseItem(id, name, response, scheduling, willContinue));
            }
        }

        return new ToolResponseMessage(index, responses);
    }
}
