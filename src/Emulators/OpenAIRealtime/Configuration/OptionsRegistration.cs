namespace VoicePlatform.Emulators.OpenAIRealtime.Configuration;

public static class OptionsRegistration
{
    public static IServiceCollection AddOpenAIEmulatorOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpenAIEmulatorOptions>(configuration.GetSection(OpenAIEmulatorOptions.SectionName));
        return services;
    }
}
