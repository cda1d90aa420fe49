using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Gateway.Tools;

public static class ToolsApiServiceCollectionExtensions
{
    // RemoveAllResilienceHandlers is experimental; see DownstreamServices for why gRPC clients opt out of the standard handler
    // (here also: a retried CreateTool after a lost reply would turn into a 409).
#pragma warning disable EXTEXP0001
    /// <summary>The Tools service's <c>ToolRegistry</c> client, resolved by service discovery (<c>services:tools:grpc</c>).</summary>
    public static IServiceCollection AddToolsApi(this IServiceCollection services)
    {
        services.AddGrpcClient<ToolRegistry.ToolRegistryClient>(o => o.Address = new Uri("http://_grpc.tools"))
            .RemoveAllResilienceHandlers();
        // Test calls from /v1/tools/{name}/test; not retried here, the executor applies the tool's own retry policy.
        services.AddGrpcClient<ToolExecution.ToolExecutionClient>(o => o.Address = new Uri("http://_grpc.tools"))
            .RemoveAllResilienceHandlers();
        return services;
    }
#pragma warning restore EXTEXP0001
}
