using System.Net;
using System.Text.Json.Nodes;

namespace VoicePlatform.Cli.Api;

/// <summary>Turns an error answer of the platform (OpenAI-style <c>{"error":{…}}</c> or RFC 7807 problem details) into one line and an exit code.</summary>
public static class ServerError
{
    public static CliException FromHttp(HttpStatusCode status, string body)
    {
        var (code, message) = Describe(body);
        var text = $"HTTP {(int)status}{(code is null ? "" : $" {code}")}: {message ?? status.ToString()}";
        return new CliException(ExitCodeFor(status, code), text);
    }

    /// <summary>An <c>error</c> event of a realtime session.</summary>
    public static CliException FromRealtimeEvent(JsonNode error)
    {
        var code = error["code"]?.GetValue<string>();
        var message = error["message"]?.GetValue<string>() ?? "(no message)";
        return new CliException(ExitCodeFor(null, code), $"error{(code is null ? "" : $" {code}")}: {message}");
    }

    public static int ExitCodeFor(HttpStatusCode? status, string? code) => (status, code) switch
    {
        (_, "invalid_api_key" or "api_key_revoked") => ExitCodes.AuthenticationFailed,
        (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) => ExitCodes.AuthenticationFailed,
        (_, "model_not_found" or "session_not_found" or "recording_not_found") => ExitCodes.NotFound,
        (HttpStatusCode.NotFound, _) => ExitCodes.NotFound,
        _ => ExitCodes.ServerError,
    };

    private static (string? Code, string? Message) Describe(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            if (node?["error"] is JsonObject error)
                return (error["code"]?.ToString(), error["message"]?.ToString());
            if (node is JsonObject problem && (problem["title"] is not null || problem["detail"] is not null))
            {
                var detail = problem["detail"]?.ToString();
                if (detail is null && problem["errors"] is JsonObject errors)
                    detail = string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"));
                return (null, string.Join(": ", new[] { problem["title"]?.ToString(), detail }.Where(s => !string.IsNullOrEmpty(s))));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the body itself is the message.
        }
        return (null, string.IsNullOrWhiteSpace(body) ? null : body.Trim());
    }
}
