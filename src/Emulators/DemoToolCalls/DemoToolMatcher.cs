namespace VoicePlatform.Emulators.DemoToolCalls;

/// <summary>
/// The emulators' "demo" behaviour: the declared tool that the user's words name is called, as a real model would.
/// A heuristic, not language understanding: a word of the tool's name (split at <c>_</c>, <c>-</c> and camel case)
/// counts twice, a word of its description once; common words ("get", "the", "what", "current", …) do not count; a
/// tool needs at least two points (a name word, or two description words: one stray description word such as "looks"
/// in "what a barge-in looks like" must not call <c>lookup</c>, "Looks a city up."); the tool with the highest score
/// wins, the first declared on a tie. Text that starts with <c>call </c> is the
/// deterministic command syntax and never goes through here; nor does a note in square brackets, which nobody said
/// (a transcript placeholder such as <c>[audio 1.2 s]</c>, or the Router's <c>[function get_weather returned: sunny]</c>
/// when it replays a tool result as context: calling the tool again there would loop).
/// </summary>
public static class DemoToolMatcher
{
    private const int NameWordScore = 2;
    private const int DescriptionWordScore = 1;
    private const int MinimumScore = 2;

    /// <summary>The call to make for <paramref name="utterance"/>, or null when no declared tool is named.</summary>
    public static DemoToolCall? Match(string utterance, IEnumerable<DemoTool> tools)
    {
        var trimmed = utterance.Trim();
        if (trimmed.StartsWith("call ", StringComparison.OrdinalIgnoreCase) || IsNote(trimmed))
        {
            return null;
        }

        var said = Words.OfSentence(utterance).Select(w => Words.Key(w.Text)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (said.Count == 0)
        {
            return null;
        }

        DemoTool? best = null;
        var bestScore = MinimumScore - 1;
        foreach (var tool in tools)
        {
            var score = Score(tool, said);
            if (score > bestScore)
            {
                (best, bestScore) = (tool, score);
            }
        }

        return best is null ? null : new DemoToolCall(best.Name, DemoArguments.Fill(utterance, best));
    }

    private static bool IsNote(string text) => text.Length >= 2 && text[0] == '[' && text[^1] == ']';

    private static int Score(DemoTool tool, HashSet<string> said)
    {
        var nameWords = Words.OfIdentifier(tool.Name).Select(Words.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var descriptionWords = Words.OfSentence(tool.Description ?? string.Empty)
            .Select(w => Words.Key(w.Text))
            .OfType<string>()
            .Where(w => !nameWords.Contains(w))
            .ToHashSet(StringComparer.Ordinal);
        return nameWords.Count(said.Contains) * NameWordScore + descriptionWords.Count(said.Contains) * DescriptionWordScore;
    }

    /// <summary>Every comparable word of the tool's name and description (so they are not taken as argument values).</summary>
    internal static HashSet<string> KeysOf(DemoTool tool) =>
    [
        .. Words.OfIdentifier(tool.Name).Select(Words.Key).OfType<string>(),
        .. Words.OfSentence(tool.Description ?? string.Empty).Select(w => Words.Key(w.Text)).OfType<string>(),
    ];
}
