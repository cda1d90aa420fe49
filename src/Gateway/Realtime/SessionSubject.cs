using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Realtime;

/// <summary>
/// The end user a session is for, as the tenant names them: <c>?user=</c> on the realtime URL, the header
/// <c>X-VoicePlatform-Subject</c>, or <c>session.user</c> pinned in the ephemeral key (which wins: the tenant's
/// server chose it, the browser cannot change it). A running experiment gives the same subject the same arm; without
/// one the session id stands in (every session is its own subject).
/// </summary>
public static class SessionSubject
{
    public const string Header = "X-VoicePlatform-Subject";
    public const int MaxLength = 256;

    /// <returns>The subject (null when none was given), or the 400 refusing it.</returns>
    public static (string? Subject, IResult? Refusal) Read(HttpContext context, string? pinned)
    {
        if (pinned is not null) return (pinned, null);
        var value = context.Request.Query["user"].ToString();
        var param = "user";
        if (value.Length == 0)
        {
            value = context.Request.Headers[Header].ToString();
            param = Header;
        }
        if (value.Length == 0) return (null, null);
        return Check(value) is { } problem
            ? (null, OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", $"Invalid '{param}': {problem}", param))
            : (value, null);
    }

    /// <returns>Why <paramref name="value"/> cannot be a subject, or null when it can.</returns>
    public static string? Check(string value) =>
        value.Length > MaxLength ? $"a subject is at most {MaxLength} characters."
        : value.Any(char.IsControl) ? "a subject may not contain control characters."
        : null;
}
