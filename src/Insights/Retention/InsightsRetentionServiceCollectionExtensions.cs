using VoicePlatform.Contracts.Transcripts;

namespace VoicePlatform.Insights.Retention;

public static class InsightsRetentionServiceCollectionExtensions
{
    // See the Gateway's DownstreamServices for why gRPC clients opt out of the standard resilience handler.
#pragma warning disable EXTEXP0001
    /// <summary>
    /// Retention settings (<c>Insights:Retention</c>), the tenant's retention read from Transcripts
    /// (<c>services:transcripts:grpc</c>), and the deletion job as a hosted service.
    /// </summary>
    public static IServiceCollection AddInsightsRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<InsightsRetentionOptions>(configuration.GetSection(InsightsRetentionOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddGrpcClient<TranscriptStore.TranscriptStoreClient>(o => o.Address = new Uri("http://_grpc.transcripts"))
            .RemoveAllResilienceHandlers();
        services.AddSingleton<ITenantRetention, TranscriptsTenantRetention>();
        services.AddSingleton<InsightsRetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<InsightsRetentionJob>());
        return services;
    }
#pragma warning restore EXTEXP0001
}
