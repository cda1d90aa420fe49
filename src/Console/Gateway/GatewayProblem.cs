using System.Text.Json;

namespace VoicePlatform.Console.Gateway;

/// <summary>
/// An error answer of the Gateway read into a message and per-field messages: the tenant API's OpenAI-style
/// <c>{"error":{"message","param"}}</c> (the field is <c>param</c>) or the operator API's RFC 7807 validation problem
/// (<c>{"errors":{"field":["…"]}}</c>), so forms can show each message beside its field.
/// </summary>
public static class GatewayProblem
{
    public static (string? Message, IReadOnlyDictionary<string, string[]> Fields) Read(JsonElement body)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? message = null;
        if (body.ValueKind != JsonValueKind.Object) return (null, fields);
        if (body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            message = error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            if (message is not null && error.TryGetProperty("param", out var param) && param.ValueKind == JsonValueKind.String && param.GetString() is { Length: > 0 } name)
                fields[name] = [message];
            return (message, fields);
        }
        if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
                if (field.Value.ValueKind == JsonValueKind.Array)
                    fields[field.Name] = [.. field.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)];
            message = fields.Count > 0 ? string.Join(" ", fields.SelectMany(f => f.Value.Select(m => f.Key.Length == 0 ? m : $"{f.Key}: {m}"))) : null;
        }
        if (message is null && body.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) message = detail.GetString();
        if (message is null && body.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String) message = title.GetString();
        return (message, fields);
    }
}
