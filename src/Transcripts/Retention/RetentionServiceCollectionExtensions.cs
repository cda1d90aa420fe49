using VoicePlatform.Recordings;

namespace VoicePlatform.Transcripts.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Retention settings (<c>Retention</c> section), their store, and the deletion job as a hosted service; with
    /// <c>Transcripts:Recordings:Directory</c>, the job also deletes recordings past retention from that directory.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RetentionOptions>(configuration.GetSection("Retention"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionStore>();
        // The recording store shared with the Gateway: retention deletes recording files through it.
        if (configuration["Transcripts:Recordings:Directory"] is { Length: > 0 } recordings)
            services.AddSingleton<IRecordingStore>(new LocalDirectoryRecordingStore(recordings));
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
