using System.Text.RegularExpressions;

namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>What tests read from <c>vp talk</c>'s human output.</summary>
public static partial class TalkOutput
{
    /// <summary>The session id from the "session sess_… (model)" status line on standard error.</summary>
    public static string SessionId(VpResult result)
    {
        var match = SessionLine().Match(result.Stderr);
        Assert.True(match.Success, $"no session line in:\n{result}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^session (\S+) \(", RegexOptions.Multiline)]
    private static partial Regex SessionLine();
}
