using Grpc.Core;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Tools.Execution;

namespace VoicePlatform.Tools.Grpc;

/// <summary>gRPC <c>ToolExecution</c>: the Router's tool calls. The call's cancellation (client cancel, deadline) aborts the webhook request.</summary>
public sealed class ToolExecutionService(ToolExecutor executor) : ToolExecution.ToolExecutionBase
{
    public override async Task<ExecuteToolResponse> ExecuteTool(ExecuteToolRequest request, ServerCallContext context)
    {
        var tenantId = TenantIdParser.Parse(request.TenantId);
        if (string.IsNullOrEmpty(request.ToolName))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "tool_name is required"));
        var call = new ToolCall(tenantId, request.SessionId, request.CallId, request.ToolName, request.ArgumentsJson);
        return await executor.ExecuteAsync(call, context.CancellationToken);
    }
}
