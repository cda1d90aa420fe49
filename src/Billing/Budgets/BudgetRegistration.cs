using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoicePlatform.Billing.Budgets;

public static class BudgetRegistration
{
    /// <summary>
    /// The budget store and checker, and the system clock if nothing registered a <see cref="TimeProvider"/> yet
    /// (a test can pin the month by replacing it with ConfigureTestServices).
    /// </summary>
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BudgetStore>();
        services.AddSingleton<BudgetChecker>();
        return services;
    }
}
