using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>Typed reads of client JSON that fail with OpenAI's validation errors.</summary>
public static class ClientJson
{
    public static ClientError? OnlyKnown(JsonElement obj, string path, params ReadOnlySpan<string> known)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name))
            {
                return ClientError.UnknownParameter(path.Length == 0 ? p.Name : $"{path}.{p.Name}");
            }
        }

        return null;
    }

    public static ClientError? Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? null : ClientError.InvalidType(path, "an object", e);

    public static ClientError? String(JsonElement e, string path, out string value)
    {
        value = e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
        return e.ValueKind == JsonValueKind.String ? null : ClientError.InvalidType(path, "a string", e);
    }

    public static ClientError? Bool(JsonElement e, string path, out bool value)
    {
        value = e.ValueKind == JsonValueKind.True;
        return e.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : ClientError.InvalidType(path, "a boolean", e);
    }

    public static ClientError? Int(JsonElement e, string path, int min, int max, out int value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var v))
        {
            return ClientError.InvalidType(path, "an integer", e);
        }

        if (v < min || v > max)
        {
            return ClientError.OutOfRange(path, min, max, v);
        }

        value = v;
        return null;
    }

    public static ClientError? Number(JsonElement e, string path, double min, double max, out double value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number)
        {
            return ClientError.InvalidType(path, "a number", e);
        }

        var v = e.GetDouble();
        if (v < min || v > max)
        {
            return ClientError.OutOfRange(path, min, max, v);
        }

        value = v;
        return null;
    }

    public static ClientError? Enum(JsonElement e, string path, string[] allowed, out string value)
    {
        if (String(e, path, out value) is { } error)
        {
            return error;
        }

        return allowed.Contains(value, StringComparer.Ordinal) ? null : ClientError.InvalidValue(path, value, allowed);
    }

    public static string? OptionalString(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
