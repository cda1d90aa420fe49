using VoicePlatform.Contracts.Realtime;
using System.Globalization;
using System.Text.Json;
using VoicePlatform.Router.Sessions;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>An OpenAI-style error for a client event (sent as an <c>error</c> event with the client's event_id).</summary>
internal sealed record ClientError(string Code, string Message, string? Param, string Type = RealtimeErrorEvent.InvalidRequest)
{
    public byte[] ToEvent(string? clientEventId) => new RealtimeErrorEvent(Type, Code, Message, Param, clientEventId).ToJson();

    public static ClientError UnknownParameter(string param) => new("unknown_parameter", $"Unknown parameter: '{param}'.", param);

    public static ClientError Missing(string param) => new("missing_required_parameter", $"Missing required parameter: '{param}'.", param);

    public static ClientError InvalidType(string param, string expected, JsonElement actual) =>
        new("invalid_type", $"Invalid type for '{param}': expected {expected}, but got {Describe(actual)} instead.", param);

    public static ClientError InvalidValue(string param, string value, IReadOnlyList<string>? supported = null) =>
        new("invalid_value", supported is null || supported.Count == 0
            ? $"Invalid value: '{value}'."
            : $"Invalid value: '{value}'. Supported values are: {string.Join(", ", supported.Select(s => $"'{s}'"))}.", param);

    public static ClientError InvalidValueMessage(string param, string message) => new("invalid_value", message, param);

    public static ClientError OutOfRange(string param, double min, double max, double actual) =>
        new(actual < min ? "decimal_below_min_value" : "decimal_above_max_value",
            string.Create(CultureInfo.InvariantCulture, $"Invalid '{param}': expected a value between {min} and {max}, but got {actual} instead."), param);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => e.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };
}

/// <summary>Typed reads of client JSON that fail with OpenAI's validation errors.</summary>
internal static class ClientJson
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
