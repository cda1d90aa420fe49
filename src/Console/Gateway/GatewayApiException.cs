using System.Net;

namespace VoicePlatform.Console.Gateway;

/// <summary>
/// The Gateway answered with an error; <see cref="Exception.Message"/> is its error message, <see cref="FieldErrors"/>
/// the messages per request field it named (see <see cref="GatewayProblem"/>).
/// </summary>
public sealed class GatewayApiException(HttpStatusCode status, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyDictionary<string, string[]> FieldErrors { get; } = fieldErrors ?? new Dictionary<string, string[]>();
}
