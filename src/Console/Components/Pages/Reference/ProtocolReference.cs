using System.Text.RegularExpressions;
using Markdig;

namespace VoicePlatform.Console.Components.Pages.Reference;

/// <summary>
/// The realtime protocol reference: the README's sections on the realtime API, session continuity (<c>resume</c>,
/// <c>session.resumed</c>, <c>session.draining</c>), routing and limits, rendered once from the README built into the
/// console, so the page and the README never disagree.
/// </summary>
public static partial class ProtocolReference
{
    /// <summary>README headings whose sections (with their subsections) make up the page, in this order.</summary>
    public static readonly string[] Sections = ["Realtime API", "Session continuity", "Routes and experiments", "Budgets and limits"];

    private static readonly Lazy<string> Rendered = new(Render);

    public static string Html => Rendered.Value;

    private static string Render()
    {
        using var stream = typeof(ProtocolReference).Assembly.GetManifestResourceStream("README.md")
            ?? throw new InvalidOperationException("README.md is not embedded in the console assembly.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n');
        var markdown = string.Join("\n", Sections.SelectMany(title => Section(lines, title)).Where(l => !l.TrimStart().StartsWith("<!--", StringComparison.Ordinal)));
        var pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
        // The README's relative links point into the repository, not the console: keep their text only.
        // Code blocks scroll sideways on a phone: focusable, so the keyboard can scroll them too.
        return RelativeLink().Replace(Markdown.ToHtml(markdown, pipeline), "$1").Replace("<pre>", "<pre tabindex=\"0\">");
    }

    /// <summary>The lines from the heading titled <paramref name="title"/> to the next heading of the same or a higher level.</summary>
    private static IEnumerable<string> Section(string[] lines, string title)
    {
        var start = Array.FindIndex(lines, l => Heading(l) is { } h && h.Title == title);
        if (start < 0) yield break;
        var level = Heading(lines[start])!.Value.Level;
        var inCode = false;
        for (var i = start; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            if (i > start && !inCode && Heading(lines[i]) is { } next && next.Level <= level) yield break;
            yield return lines[i].TrimEnd('\r');
        }
        yield return "";
    }

    private static (int Level, string Title)? Heading(string line)
    {
        var match = HeadingLine().Match(line.TrimEnd('\r'));
        return match.Success ? (match.Groups[1].Length, match.Groups[2].Value.Trim()) : null;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingLine();

    [GeneratedRegex(@"<a href=""(?!https?:|#)[^""]*"">(.*?)</a>")]
    private static partial Regex RelativeLink();
}
