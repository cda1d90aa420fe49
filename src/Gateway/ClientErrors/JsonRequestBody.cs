using System.Text.Json;

namespace VoicePlatform.Gateway.ClientErrors;

/// <summary>
/// Reads a public API request's JSON body ourselves, so that a missing content type or malformed JSON gets an
/// OpenAI-style 400 (<c>invalid_json</c>) instead of the framework's empty one.
/// </summary>
public static class JsonRequestBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<(T? Body, IResult? Invalid)> ReadAsync<T>(HttpContext http) where T : class
    {
        if (!http.Request.HasJsonContentType())
            return (null, Invalid("The request body must be JSON (Content-Type: application/json)."));
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Options, http.RequestAborted);
            return body is null ? (null, Invalid("The request body must be a JSON object.")) : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, Invalid($"The request body is not valid JSON for this endpoint: {ex.Message}"));
        }
    }

    public static IResult Invalid(string message) =>
        OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_json", message);
}
