using Grpc.Core;

namespace VoicePlatform.Gateway.ClientErrors;

/// <summary>
/// A downstream service's gRPC status as an OpenAI-style error response, the same way for every service: 400 for
/// INVALID_ARGUMENT (trailers <c>code</c> and <c>param</c> when the service names them), 404 for NOT_FOUND, 409 for
/// ALREADY_EXISTS and FAILED_PRECONDITION, and 503 (logged) for anything else — the service down or failing.
/// </summary>
public static class DownstreamErrors
{
    public static IResult FromRpc(RpcException error, DownstreamService service, ILogger logger)
    {
        var param = error.Trailers.GetValue("param");
        switch (error.StatusCode)
        {
            case StatusCode.InvalidArgument:
                return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", error.Trailers.GetValue("code") ?? "invalid_value",
                    error.Status.Detail, param);
            case StatusCode.NotFound:
                return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", service.NotFoundCode, error.Status.Detail,
                    param ?? service.NotFoundParam);
            case StatusCode.AlreadyExists:
                return OpenAIError.Result(StatusCodes.Status409Conflict, "invalid_request_error", service.AlreadyExistsCode, error.Status.Detail, param ?? "name");
            case StatusCode.FailedPrecondition:
                return OpenAIError.Result(StatusCodes.Status409Conflict, "invalid_request_error", "conflict", error.Status.Detail, param);
            default:
                logger.LogWarning(error, "{Service} call failed with {Status}", service.Name, error.StatusCode);
                return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", service.UnavailableCode, service.UnavailableMessage);
        }
    }

    /// <summary>Wraps a downstream call: its result, or its failure as above.</summary>
    public static Task<IResult> CallAsync(DownstreamService service, ILogger logger, Func<Task<IResult>> call) =>
        DownstreamCall.RunAsync(call, error => FromRpc(error, service, logger));
}
