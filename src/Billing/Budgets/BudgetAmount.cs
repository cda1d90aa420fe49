using System.Globalization;

namespace VoicePlatform.Billing.Budgets;

/// <summary>Parses a requested monthly budget: an invariant-culture USD decimal string, or empty for "no budget".</summary>
public static class BudgetAmount
{
    /// <summary>The column is numeric(18, 6): 12 integer digits, micro-dollar precision.</summary>
    public const decimal Max = 999_999_999_999m;

    public const int MaxDecimalPlaces = 6;

    /// <summary>
    /// True with <paramref name="amount"/> null for an empty string (clear the budget) or the amount; false with a
    /// message for the caller otherwise. Only digits, one '.', and a sign (so "-1" is reported as negative, not as garbage).
    /// </summary>
    public static bool TryParse(string text, out decimal? amount, out string error)
    {
        amount = null;
        error = "";
        if (text.Length == 0) return true;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"monthly_budget_usd '{text}' is not a decimal number (invariant culture, e.g. \"250\" or \"99.5\")";
            return false;
        }
        if (value < 0)
        {
            error = $"monthly_budget_usd must not be negative (got {text})";
            return false;
        }
        // By value: "1.50000000" is 1.5 and fine; "0.0000001" is a fraction of a micro-dollar the column cannot hold.
        if (decimal.Round(value, MaxDecimalPlaces) != value)
        {
            error = $"monthly_budget_usd has more than {MaxDecimalPlaces} decimal places (got {text})";
            return false;
        }
        if (value > Max)
        {
            error = $"monthly_budget_usd must be at most {Max} (got {text})";
            return false;
        }
        amount = value;
        return true;
    }
}
