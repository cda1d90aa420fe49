namespace VoicePlatform.Gateway.Quality;

public static class QualityServiceCollectionExtensions
{
    /// <summary>Per-session quality measurement: its metrics and the queue that takes its events to the outbox.</summary>
    public static IServiceCollection AddSessionQuality(this IServiceCollection services)
    {
        services.AddSingleton<QualityMetrics>();
        services.AddSingleton<QualityEventQueue>();
        services.AddSingleton<IQualityEventSink>(sp => sp.GetRequiredService<QualityEventQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<QualityEventQueue>());
        return services;
    }
}
