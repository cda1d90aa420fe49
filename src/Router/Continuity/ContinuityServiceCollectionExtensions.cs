namespace VoicePlatform.Router.Continuity;

public static class ContinuityServiceCollectionExtensions
{
    /// <summary>Session state in Redis (checkpoints, leases with fencing), configuration section <c>Continuity</c>.</summary>
    public static IServiceCollection AddSessionContinuity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContinuityOptions>(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<SessionStateStore>();
        return services;
    }
}
