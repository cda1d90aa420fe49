namespace VoicePlatform.Transcripts.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>Retention settings (<c>Retention</c> section), their store, and the deletion job as a hosted service.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RetentionOptions>(configuration.GetSection("Retention"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
