using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Protocol;

/// <summary>Typed reads of client JSON that fail with the real service's validation errors.</summary>
internal static class JsonRead
{
    public static RealtimeError? Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? null : RealtimeError.InvalidType(path, "an object", e);

    public static RealtimeError? String(JsonElement e, string path, out string value)
    {
        value = "";
        if (e.ValueKind != JsonValueKind.String)
        {
            return RealtimeError.InvalidType(path, "a string", e);
        }
        value = e.GetString()!;
        return null;
    }

    public static RealtimeError? Bool(JsonElement e, string path, out bool value)
    {
        value = e.ValueKind == JsonValueKind.True;
        return e.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : RealtimeError.InvalidType(path, "a boolean", e);
    }

    public static RealtimeError? Int(JsonElement e, string path, long min, long max, out int value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var v))
        {
            return RealtimeError.InvalidType(path, "an integer", e);
        }
        if (v < min)
        {
            return RealtimeError.BelowMin(path, min, v, integer: true);
        }
        if (v > max)
        {
            return RealtimeError.AboveMax(path, max, v, integer: true);
        }
        value = (int)v;
        return null;
    }

    public static RealtimeError? Number(JsonElement e, string path, double min, double max, out double value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number)
        {
            return RealtimeError.InvalidType(path, "a number", e);
        }
        var v = e.GetDouble();
        if (v < min)
        {
            return RealtimeError.BelowMin(path, min, v, integer: false);
        }
        if (v > max)
        {
            return RealtimeError.AboveMax(path, max, v, integer: false);
        }
        value = v;
        return null;
    }

    public static RealtimeError? Enum(JsonElement e, string path, string[] allowed, out string value)
    {
        var error = String(e, path, out value);
        if (error is not null)
        {
            return error;
        }
        return allowed.Contains(value, StringComparer.Ordinal) ? null : RealtimeError.InvalidValue(path, value, allowed);
    }

    /// <summary>Rejects any property not in <paramref name="known"/> with <c>unknown_parameter</c>.</summary>
    public static RealtimeError? OnlyKnown(JsonElement obj, string path, params string[] known)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(p.Name, StringComparer.Ordinal))
            {
                return RealtimeError.UnknownParameter(path.Length == 0 ? p.Name : $"{path}.{p.Name}");
            }
        }
        return null;
    }
}
