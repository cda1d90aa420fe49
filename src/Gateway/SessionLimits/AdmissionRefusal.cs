using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.SessionLimits;

/// <summary>Why a session may not start, as the HTTP error OpenAI clients already handle (429 with an OpenAI error body).</summary>
public sealed record AdmissionRefusal(string Type, string Code, string Message, TimeSpan? RetryAfter)
{
    public static AdmissionRefusal InsufficientQuota(string message) => new("insufficient_quota", "insufficient_quota", message, null);

    public static AdmissionRefusal RateLimited(string message, TimeSpan? retryAfter) => new("rate_limit_error", "rate_limit_exceeded", message, retryAfter);

    public async Task WriteAsync(HttpContext context)
    {
        if (RetryAfter is { } wait) context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
        await OpenAIError.Result(StatusCodes.Status429TooManyRequests, Type, Code, Message).ExecuteAsync(context);
    }
}
