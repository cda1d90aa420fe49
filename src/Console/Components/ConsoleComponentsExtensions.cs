using Microsoft.FluentUI.AspNetCore.Components;

namespace VoicePlatform.Console.Components;

public static class ConsoleComponentsExtensions
{
    public static IServiceCollection AddConsoleComponents(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddCascadingAuthenticationState();
        return services;
    }
}
