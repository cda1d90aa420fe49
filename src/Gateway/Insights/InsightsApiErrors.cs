using Grpc.Core;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Insights;

/// <summary>The Insights service's gRPC statuses as OpenAI-style error responses.</summary>
public static class InsightsApiErrors
{
    public static IResult FromRpc(RpcException error, ILogger logger)
    {
        switch (error.StatusCode)
        {
            case StatusCode.InvalidArgument:
                return Invalid(error.Status.Detail, error.Trailers.GetValue("param"));
            case StatusCode.NotFound:
                // Also another tenant's session: existence is not revealed.
                return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "session_not_found", error.Status.Detail, "id");
            default:
                logger.LogWarning(error, "Insights service call failed with {Status}", error.StatusCode);
                return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "insights_unavailable",
                    "The insights service is temporarily unavailable. Please retry.");
        }
    }

    public static IResult Invalid(string message, string? param) =>
        OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", message, param);
}
