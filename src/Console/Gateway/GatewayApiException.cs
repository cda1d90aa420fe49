using System.Net;

namespace VoicePlatform.Console.Gateway;

/// <summary>The Gateway answered with an error; <see cref="Exception.Message"/> is its OpenAI-style error message.</summary>
public sealed class GatewayApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
