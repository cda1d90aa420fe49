namespace VoicePlatform.Billing.Budgets;

/// <summary>What reaching the monthly budget does.</summary>
public enum BudgetMode
{
    /// <summary>New sessions are refused and live ones ended (the default: a budget is a limit unless said otherwise).</summary>
    Hard,

    /// <summary>Warnings only.</summary>
    Soft,
}
