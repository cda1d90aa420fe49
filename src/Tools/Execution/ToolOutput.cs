using VoicePlatform.Contracts.Json;
using System.Text;
using System.Text.Json;
using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Tools.Execution;

/// <summary>The JSON text handed to the model as the tool's result.</summary>
public static class ToolOutput
{
    /// <summary>A webhook's body: used as-is when it is JSON, else wrapped as a JSON string; an empty body is <c>{}</c>.</summary>
    public static string FromWebhookBody(byte[] body)
    {
        if (body.Length == 0) return "{}";
        try
        {
            using var _ = JsonDocument.Parse(body);
            return Encoding.UTF8.GetString(body);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(Encoding.UTF8.GetString(body), WireJson.Options);
        }
    }

    /// <summary><c>{"error": "&lt;outcome&gt;", "message": "..."}</c>: what went wrong, in words a model can pass on.</summary>
    public static string Error(ToolOutcome outcome, string message, IReadOnlyList<string>? details = null, int httpStatus = 0)
    {
        var error = new Dictionary<string, object> { ["error"] = ToolOutcomeNames.Of(outcome), ["message"] = message };
        if (details is { Count: > 0 }) error["details"] = details;
        if (httpStatus != 0) error["status"] = httpStatus;
        return JsonSerializer.Serialize(error, WireJson.Options);
    }
}
