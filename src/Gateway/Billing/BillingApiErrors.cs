using Grpc.Core;
using VoicePlatform.Gateway.ClientErrors;

namespace VoicePlatform.Gateway.Billing;

/// <summary>OpenAI-style errors of the usage endpoints, and the Billing service's gRPC statuses mapped to them.</summary>
public static class BillingApiErrors
{
    public static IResult InvalidValue(string param, string message) =>
        OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", message, param);

    public static IResult FromRpc(RpcException error, ILogger logger)
    {
        switch (error.StatusCode)
        {
            case StatusCode.InvalidArgument:
                return OpenAIError.Result(StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_value", error.Status.Detail);
            case StatusCode.NotFound:
                // Also another tenant's session: existence is not revealed.
                return OpenAIError.Result(StatusCodes.Status404NotFound, "invalid_request_error", "session_not_found", error.Status.Detail, "id");
            default:
                logger.LogWarning(error, "Billing service call failed with {Status}", error.StatusCode);
                return OpenAIError.Result(StatusCodes.Status503ServiceUnavailable, "server_error", "billing_unavailable",
                    "Usage and billing data are temporarily unavailable. Please retry.");
        }
    }
}
