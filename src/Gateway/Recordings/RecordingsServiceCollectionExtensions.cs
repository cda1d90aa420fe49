namespace VoicePlatform.Gateway.Recordings;

public static class RecordingsServiceCollectionExtensions
{
    /// <summary>The recording store (<c>Gateway:Recordings</c>), the tenant switch, the announcer and the start-up sweep.</summary>
    public static IServiceCollection AddRecordings(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RecordingStorageOptions>(configuration.GetSection(RecordingStorageOptions.SectionName));
        services.AddSingleton<RecordingStorage>();
        services.AddSingleton<RecordingSettingsStore>();
        services.AddSingleton<RecordingStoredPublisher>();
        services.AddHostedService<UnannouncedRecordingSweep>();
        return services;
    }
}
