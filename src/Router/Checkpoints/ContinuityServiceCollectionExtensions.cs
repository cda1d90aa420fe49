namespace VoicePlatform.Router.Checkpoints;

public static class ContinuityServiceCollectionExtensions
{
    /// <summary>
    /// Session state in Redis (checkpoints, leases with fencing), configuration section <c>Continuity</c>, and the
    /// start-up warm-up of the resume path (a readiness check until it is done).
    /// </summary>
    public static IServiceCollection AddSessionContinuity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ContinuityOptions>(configuration.GetSection(ContinuityOptions.SectionName));
        services.AddSingleton<SessionStateStore>();
        services.AddSingleton<ResumePathWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<ResumePathWarmUp>());
        services.AddHealthChecks().AddCheck<ResumePathWarmUp>("resume-warm-up");
        return services;
    }
}
