using Grpc.Core;

namespace VoicePlatform.Gateway.ClientErrors;

/// <summary>
/// A public endpoint's call to a downstream service over gRPC: its result, or its gRPC failure turned into that
/// service's OpenAI-style error response.
/// </summary>
public static class DownstreamCall
{
    public static async Task<IResult> RunAsync(Func<Task<IResult>> call, Func<RpcException, IResult> failure)
    {
        try
        {
            return await call();
        }
        catch (RpcException error)
        {
            return failure(error);
        }
    }
}
