using System.Globalization;
using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Protocol;

/// <summary>The <c>error</c> object of an <c>error</c> event (and of HTTP error bodies).</summary>
internal sealed record RealtimeError(string Type, string? Code, string Message, string? Param)
{
    public const string InvalidRequest = "invalid_request_error";

    public void WriteFields(Utf8JsonWriter w)
    {
        w.WriteString("type"u8, Type);
        if (Code is null) w.WriteNull("code"u8); else w.WriteString("code"u8, Code);
        w.WriteString("message"u8, Message);
        if (Param is null) w.WriteNull("param"u8); else w.WriteString("param"u8, Param);
    }

    // Message texts follow the real service's validation messages (see protocol file §5).
    public static RealtimeError UnknownParameter(string param) =>
        new(InvalidRequest, "unknown_parameter", $"Unknown parameter: '{param}'.", param);

    public static RealtimeError UnsupportedParameter(string param, string why) =>
        new(InvalidRequest, "unsupported_parameter", $"Unsupported parameter: '{param}' {why}", param);

    public static RealtimeError Missing(string param) =>
        new(InvalidRequest, "missing_required_parameter", $"Missing required parameter: '{param}'.", param);

    public static RealtimeError InvalidType(string param, string expected, JsonElement actual) =>
        new(InvalidRequest, "invalid_type",
            $"Invalid type for '{param}': expected {expected}, but got {Describe(actual)} instead.", param);

    public static RealtimeError InvalidValue(string param, string value, params string[] supported) =>
        new(InvalidRequest, "invalid_value",
            supported.Length == 0
                ? $"Invalid value: '{value}'."
                : $"Invalid value: '{value}'. Supported values are: {JoinQuoted(supported)}.", param);

    public static RealtimeError InvalidValueMessage(string param, string message) =>
        new(InvalidRequest, "invalid_value", message, param);

    public static RealtimeError BelowMin(string param, double min, double actual, bool integer) =>
        new(InvalidRequest, integer ? "integer_below_min_value" : "decimal_below_min_value",
            $"Invalid '{param}': {(integer ? "integer" : "decimal")} below minimum value. Expected a value >= {Num(min)}, but got {Num(actual)} instead.", param);

    public static RealtimeError AboveMax(string param, double max, double actual, bool integer) =>
        new(InvalidRequest, integer ? "integer_above_max_value" : "decimal_above_max_value",
            $"Invalid '{param}': {(integer ? "integer" : "decimal")} above maximum value. Expected a value <= {Num(max)}, but got {Num(actual)} instead.", param);

    public static RealtimeError StringTooLong(string param, int max, int actual) =>
        new(InvalidRequest, "string_above_max_length",
            $"Invalid '{param}': string too long. Expected a string with maximum length {max}, but got a string with length {actual} instead.", param);

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => e.TryGetInt64(out _) ? "an integer" : "a decimal",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static string JoinQuoted(string[] values)
    {
        var quoted = values.Select(v => $"'{v}'").ToArray();
        return quoted.Length switch
        {
            1 => quoted[0],
            2 => $"{quoted[0]} and {quoted[1]}",
            _ => string.Join(", ", quoted[..^1]) + ", and " + quoted[^1],
        };
    }
}
