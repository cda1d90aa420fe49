using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VoicePlatform.Contracts.Tools;
using VoicePlatform.Router.Tools;

namespace VoicePlatform.Router.Tests.Tools;

/// <summary>
/// The Tools service as the Router's clients see it: a fixed tool list, and an execution handler per test (which may
/// wait, fail, or watch for cancellation). Every ExecuteTool request is recorded.
/// </summary>
internal sealed class FakeTools
{
    public ListToolsResponse Tools { get; } = new()
    {
        Tools =
        {
            new ToolDefinition { Name = "lookup_order", Description = "Order status", ParametersJson = """{"type":"object","properties":{"order_id":{"type":"string"}}}""" },
            new ToolDefinition { Name = "get_current_time", Description = "Time", BuiltIn = true },
            new ToolDefinition { Name = "end_session", Description = "End", BuiltIn = true },
        },
    };

    public Func<ExecuteToolRequest, CancellationToken, Task<ExecuteToolResponse>> Execute { get; set; } =
        (request, _) => Task.FromResult(new ExecuteToolResponse { OutputJson = $$"""{"tool":"{{request.ToolName}}"}""", Outcome = ToolOutcome.Ok });

    public ConcurrentQueue<ExecuteToolRequest> Requests { get; } = new();

    public ServerTools CreateServerTools()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var options = Options.Create(new ServerToolsOptions { Enabled = true, EndSessionGrace = TimeSpan.FromSeconds(5) });
        return new ServerTools(new Registry(this), new Execution(this), options, new ServerToolMetrics(meters), NullLoggerFactory.Instance);
    }

    private static AsyncUnaryCall<T> Call<T>(Task<T> response) =>
        new(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => { });

    private sealed class Registry(FakeTools owner) : ToolRegistry.ToolRegistryClient
    {
        public override AsyncUnaryCall<ListToolsResponse> ListToolsAsync(ListToolsRequest request, CallOptions options) => Call(Task.FromResult(owner.Tools));
    }

    private sealed class Execution(FakeTools owner) : ToolExecution.ToolExecutionClient
    {
        public override AsyncUnaryCall<ExecuteToolResponse> ExecuteToolAsync(ExecuteToolRequest request, CallOptions options)
        {
            owner.Requests.Enqueue(request);
            return Call(Run(request, options.CancellationToken));
        }

        private async Task<ExecuteToolResponse> Run(ExecuteToolRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await owner.Execute(request, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "cancelled by the caller"));
            }
        }
    }
}
