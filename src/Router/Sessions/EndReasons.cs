using System.Text.RegularExpressions;

namespace VoicePlatform.Router.Sessions;

/// <summary>A session's end reason is a metric label and a stored, filterable value: keep it a short snake_case word.</summary>
public static partial class EndReasons
{
    /// <summary>A Gateway-given reason, unless it is malformed or names a hand-off (which is not an end).</summary>
    public static bool IsWellFormed(string reason) => WellFormed().IsMatch(reason) && reason is not ("drained" or "moved");

    [GeneratedRegex("^[a-z][a-z_]{0,39}$")]
    private static partial Regex WellFormed();
}
