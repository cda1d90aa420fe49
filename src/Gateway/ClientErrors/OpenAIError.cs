namespace VoicePlatform.Gateway.ClientErrors;

/// <summary>
/// The error body OpenAI clients already understand: <c>{"error":{"message","type","param","code"}}</c>.
/// Tenant-facing endpoints answer in this shape; operator endpoints use RFC 7807 problem details.
/// </summary>
public static class OpenAIError
{
    public static IResult Result(int statusCode, string type, string code, string message, string? param = null) =>
        Results.Json(new { error = new { message, type, param, code } }, statusCode: statusCode);

    /// <summary>400 <c>invalid_value</c> naming the offending parameter.</summary>
    public static IResult InvalidValue(string message, string? param) =>
        Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", message, param);

    public static IResult InvalidApiKey(string message) =>
        Result(StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key", message);
}
