namespace VoicePlatform.Billing.Budgets;

/// <summary>The wire and database spelling of <see cref="BudgetMode"/>: "hard", "soft".</summary>
public static class BudgetModeNames
{
    public const string Hard = "hard";
    public const string Soft = "soft";

    public static string ToName(BudgetMode mode) => mode switch
    {
        BudgetMode.Hard => Hard,
        BudgetMode.Soft => Soft,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a requested mode; empty means <see cref="BudgetMode.Hard"/> (the contract's default).</summary>
    public static bool TryParse(string name, out BudgetMode mode)
    {
        switch (name)
        {
            case "" or Hard: mode = BudgetMode.Hard; return true;
            case Soft: mode = BudgetMode.Soft; return true;
            default: mode = default; return false;
        }
    }

    /// <summary>A stored mode; the column's CHECK constraint admits only the two names.</summary>
    public static BudgetMode FromStored(string name) => name switch
    {
        Hard => BudgetMode.Hard,
        Soft => BudgetMode.Soft,
        _ => throw new InvalidOperationException($"Unknown stored budget mode '{name}'"),
    };
}
