using System.Globalization;

namespace VoicePlatform.Gateway.Billing;

/// <summary>
/// Parses the query of <c>GET /v1/usage</c>. <c>from</c>/<c>to</c>: an ISO 8601 date (midnight UTC), date-time
/// (UTC unless it carries an offset) or Unix seconds; the period is [from, to). Defaults: to = now, from = 30 days
/// before to. <c>group_by</c>: day (default), model, session, arm or route ("" for sessions without one); <c>experiment</c>: an experiment id, required by arm.
/// </summary>
public static class UsageQuery
{
    public static readonly string[] Groupings = ["day", "model", "session", "arm", "route"];

    /// <summary>Experiment ids are short (<c>exp_</c> and 24 hex digits); this bounds what a client can send.</summary>
    public const int MaxExperimentIdLength = 128;

    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > 253_402_300_799) return false; // past year 9999
            instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary><c>yyyy-MM</c> → (year, month).</summary>
    public static bool TryParseMonth(string text, out int year, out int month)
    {
        year = month = 0;
        if (!DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        (year, month) = (parsed.Year, parsed.Month);
        return true;
    }
}
