namespace VoicePlatform.Insights.Experiments;

public static class ExperimentResultsRegistration
{
    public static IServiceCollection AddExperimentResults(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExperimentResultsOptions>().Bind(configuration.GetSection(ExperimentResultsOptions.Section))
            .Validate(o => o.MinSessionsPerArm >= 2, "Insights:Experiments:MinSessionsPerArm must be at least 2")
            .Validate(o => o.ConfidenceLevel is > 0 and < 1, "Insights:Experiments:ConfidenceLevel must lie strictly between 0 and 1")
            .ValidateOnStart();
        services.AddSingleton<ExperimentResultsQuery>();
        return services;
    }
}
