using System.Text.RegularExpressions;
using Markdig;

namespace VoicePlatform.Console.Components.Pages.Reference;

/// <summary>
/// The realtime protocol reference: the guides' sections on the realtime API, session continuity (<c>resume</c>,
/// <c>session.resumed</c>, <c>session.draining</c>), routing and limits, rendered once from the docs/ files built into
/// the console, so the page and the docs never disagree.
/// </summary>
public static partial class ProtocolReference
{
    /// <summary>The docs/ files and headings whose sections (with their subsections) make up the page, in this order.</summary>
    public static readonly (string File, string Heading)[] Sections =
    [
        ("docs/realtime.md", "Realtime API"),
        ("docs/continuity.md", "Session continuity"),
        ("docs/routes-and-experiments.md", "Routes and experiments"),
        ("docs/billing-and-limits.md", "Budgets and limits"),
    ];

    private static readonly Lazy<string> Rendered = new(Render);

    public static string Html => Rendered.Value;

    private static string Render()
    {
        var markdown = string.Join("\n", Sections.SelectMany(s => Section(EmbeddedLines(s.File), s.Heading)).Where(l => !l.TrimStart().StartsWith("<!--", StringComparison.Ordinal)));
        var pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
        // The guides' relative links point into the repository, not the console: keep their text only.
        // Code blocks scroll sideways on a phone: focusable, so the keyboard can scroll them too.
        return RelativeLink().Replace(Markdown.ToHtml(markdown, pipeline), "$1").Replace("<pre>", "<pre tabindex=\"0\">");
    }

    private static string[] EmbeddedLines(string file)
    {
        using var stream = typeof(ProtocolReference).Assembly.GetManifestResourceStream(file)
            ?? throw new InvalidOperationException($"{file} is not embedded in the console assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
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
            var heading = inCode ? null : Heading(lines[i]);
            if (i > start && heading is { } next && next.Level <= level) yield break;
            // A section is an h2 on the page (under the page's own h1), whatever its level in its file.
            yield return heading is { } h ? new string('#', Math.Min(6, h.Level - level + 2)) + " " + h.Title : lines[i].TrimEnd('\r');
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
