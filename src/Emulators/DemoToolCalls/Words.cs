using System.Text.RegularExpressions;

namespace VoicePlatform.Emulators.DemoToolCalls;

/// <summary>How the demo matcher splits text into comparable words: identifiers at <c>_</c>, <c>-</c> and camel-case
/// boundaries, sentences at letters and digits; compared lower case with a plural <c>s</c> dropped.</summary>
internal static partial class Words
{
    /// <summary>Words too common to say which tool is meant (verbs every tool name starts with, question words, articles).</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "from", "into", "about", "after",
        "before", "is", "are", "was", "be", "it", "its", "this", "that", "these", "those", "there", "here", "what", "which",
        "who", "how", "when", "where", "why", "get", "set", "fetch", "find", "give", "given", "return", "current",
        "currently", "tool", "function", "call", "please", "can", "could", "would", "will", "you", "your", "me", "my", "i",
        "we", "our", "us", "do", "doe", "some", "any", "all", "like", "now", "today", "tell", "show", "list", "data", "info",
        "information", "value", "based", "using", "use", "user", "assistant", "one", "just", "make", "hi", "hello", "hey",
        "thank", "thanks", "yes", "no", "not", "if", "then", "than", "as", "so", "up", "out", "want", "need", "know",
    };

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")]
    private static partial Regex SentenceWord();

    [GeneratedRegex(@"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+")]
    private static partial Regex IdentifierPart();

    /// <summary>The words of a spoken or typed sentence, with where each starts.</summary>
    public static List<(string Text, int Index)> OfSentence(string text) =>
        [.. SentenceWord().Matches(text).Select(m => (StripPossessive(m.Value), m.Index))];

    /// <summary>The words of an identifier such as <c>get_weather</c> or <c>lookupOrderStatus</c>.</summary>
    public static IEnumerable<string> OfIdentifier(string identifier) =>
        IdentifierPart().Matches(identifier).Select(m => m.Value);

    /// <summary>The comparable form of a word, or null when it is too common to mean anything.</summary>
    public static string? Key(string word)
    {
        var key = word.ToLowerInvariant();
        if (key.Length > 3 && key.EndsWith('s') && !key.EndsWith("ss", StringComparison.Ordinal))
        {
            key = key[..^1];
        }
        return key.Length < 3 || Ignored.Contains(key) ? null : key;
    }

    public static bool IsIgnored(string word) => Key(word) is null;

    /// <summary>"what's" → "what", "Paris's" → "Paris".</summary>
    private static string StripPossessive(string word)
    {
        var apostrophe = word.IndexOfAny(['\'', '’']);
        return apostrophe > 0 ? word[..apostrophe] : word;
    }
}
