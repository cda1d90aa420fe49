using System.Globalization;

namespace VoicePlatform.Billing.Ledger;

/// <summary>USD amounts on the wire: invariant decimal strings without trailing zeros ("0.0768", "12", "0").</summary>
public static class UsdAmount
{
    public static string Format(decimal amount) => amount.ToString("0.############################", CultureInfo.InvariantCulture);
}
