using Grpc.Core;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Routing;

/// <summary>The Router's routing statuses as OpenAI-style error responses (400, 404, 409; 503 when unreachable).</summary>
public static class RoutingApiErrors
{
    public static IResult FromRpc(RpcException error, string notFoundCode, ILogger logger)
    {
        var param = error.Trailers.GetValue("param");
        switch (error.StatusCode)
        {
            case StatusCode.InvalidArgument:
                return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", error.Trailers.GetValue("code") ?? "invalid_value",
                    error.Status.Detail, param);
            case StatusCode.NotFound:
                // Also another tenant's route or experiment: existence is not revealed.
                return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", notFoundCode, error.Status.Detail);
            case StatusCode.FailedPrecondition:
                return OpenAIError.Result(StatusCodes.Status409Conflict, "invalid_request_error", "conflict", error.Status.Detail, param);
            default:
                logger.LogWarning(error, "Routing call to the Router failed with {Status}", error.StatusCode);
                return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "routing_unavailable",
                    "Routes and experiments are temporarily unavailable. Please retry.");
        }
    }
}
