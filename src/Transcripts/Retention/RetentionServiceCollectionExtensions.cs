using VoicePlatform.Recordings;

namespace VoicePlatform.Transcripts.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Retention settings (<c>Retention</c> section), their store, and the deletion job as a hosted service; with a
    /// recording store (<c>Transcripts:Recordings:Directory</c>, or an S3-compatible bucket in
    /// <c>Transcripts:Recordings:S3</c>), the job also deletes recordings past retention from it.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RetentionOptions>(configuration.GetSection("Retention"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionStore>();
        // The recording store shared with the Gateway: retention deletes recording files through it.
        if (RecordingStoreSelection.Create(configuration["Transcripts:Recordings:Directory"],
                configuration.GetSection("Transcripts:Recordings:S3").Get<S3RecordingStoreOptions>()) is { } recordings)
            services.AddSingleton(recordings);
        services.AddSingleton<RetentionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        return services;
    }
}
