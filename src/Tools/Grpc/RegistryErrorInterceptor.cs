using Grpc.Core;
using Grpc.Core.Interceptors;
using VoicePlatform.Tools.Registry;

namespace VoicePlatform.Tools.Grpc;

/// <summary>
/// Turns registry rule violations into gRPC statuses: <see cref="ToolValidationException"/> → INVALID_ARGUMENT with a
/// <c>param</c> trailer naming the field, <see cref="ToolAlreadyExistsException"/> → ALREADY_EXISTS,
/// <see cref="ToolLimitReachedException"/> → INVALID_ARGUMENT without a <c>param</c> (no field is at fault; the Gateway
/// answers 400 with the message naming the limit).
/// </summary>
public sealed class RegistryErrorInterceptor : Interceptor
{
    public const string ParamTrailer = "param";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (ToolValidationException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message), new Metadata { { ParamTrailer, ex.Param } });
        }
        catch (ToolAlreadyExistsException ex)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message), new Metadata { { ParamTrailer, "name" } });
        }
        catch (ToolLimitReachedException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
    }
}
