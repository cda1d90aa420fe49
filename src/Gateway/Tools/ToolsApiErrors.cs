using Grpc.Core;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Tools;

/// <summary>The Tools service's gRPC statuses as OpenAI-style error responses.</summary>
public static class ToolsApiErrors
{
    public static IResult FromRpc(RpcException error, ILogger logger)
    {
        var param = error.Trailers.GetValue("param");
        switch (error.StatusCode)
        {
            case StatusCode.InvalidArgument:
                return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", error.Status.Detail, param);
            case StatusCode.NotFound:
                // Also another tenant's tool: existence is not revealed.
                return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "tool_not_found", error.Status.Detail, param ?? "name");
            case StatusCode.AlreadyExists:
                return OpenAIError.Result(StatusCodes.Status409Conflict, "invalid_request_error", "tool_already_exists", error.Status.Detail, param ?? "name");
            default:
                logger.LogWarning(error, "Tools service call failed with {Status}", error.StatusCode);
                return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "tools_unavailable",
                    "The tool registry is temporarily unavailable. Please retry.");
        }
    }
}
