using VoicePlatform.Contracts.Tools;

namespace VoicePlatform.Router.Tools;

public static class ServerToolsServiceCollectionExtensions
{
    // RemoveAllResilienceHandlers is experimental; it is how a gRPC client opts out of ServiceDefaults' standard HTTP
    // handler (its total timeout and retries are wrong for tool calls: a retried ExecuteTool could call a webhook twice,
    // and every call carries its own deadline).
#pragma warning disable EXTEXP0001
    /// <summary>
    /// Server-side tools in the turn loop: the Tools service's <c>ToolRegistry</c> and <c>ToolExecution</c> clients,
    /// resolved by service discovery (<c>services:tools:grpc</c>), and the per-session layer's factory.
    /// </summary>
    public static IServiceCollection AddServerTools(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ServerToolsOptions>(configuration.GetSection(ServerToolsOptions.Section));
        services.PostConfigure<ServerToolsOptions>(o => o.Enabled ??= configuration["services:tools:grpc:0"] is not null);
        services.AddGrpcClient<ToolRegistry.ToolRegistryClient>(o => o.Address = ToolsAddress).RemoveAllResilienceHandlers();
        services.AddGrpcClient<ToolExecution.ToolExecutionClient>(o => o.Address = ToolsAddress).RemoveAllResilienceHandlers();
        services.AddSingleton<ServerToolMetrics>();
        services.AddSingleton<ServerTools>();
        return services;
    }
#pragma warning restore EXTEXP0001

    private static readonly Uri ToolsAddress = new("http://_grpc.tools");
}
