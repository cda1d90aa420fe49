using System.Globalization;
using System.Text.Json;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>An OpenAI-style error for a client event (sent as an <c>error</c> event with the client's event_id).</summary>
public sealed record ClientError(string Code, string Message, string? Param, string Type = RealtimeErrorEvent.InvalidRequest)
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
