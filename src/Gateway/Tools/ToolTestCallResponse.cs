using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoicePlatform.Gateway.Tools;

/// <summary>Body of <c>POST /v1/tools/{name}/test</c>: the arguments the model would send (a JSON object; absent means {}).</summary>
public sealed record ToolTestCallRequest([property: JsonPropertyName("arguments")] JsonElement? Arguments);

/// <summary>What a test call of a tool produced, exactly as a session's call would have.</summary>
public sealed record ToolTestCallResponse(
    // "ok", or "error" for any other outcome.
    [property: JsonPropertyName("status")] string Status,
    // ok, invalid_arguments, timeout, webhook_error, circuit_open, response_too_large, forbidden_target, cancelled.
    [property: JsonPropertyName("outcome")] string Outcome,
    // The JSON the model would get: the webhook's response, or {"error": …} for a failed call.
    [property: JsonPropertyName("output")] JsonElement Output,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("duration_ms")] long DurationMs,
    // The webhook's last HTTP status (null for built-ins and calls refused before sending).
    [property: JsonPropertyName("http_status")] int? HttpStatus,
    [property: JsonPropertyName("attempts")] int Attempts);
