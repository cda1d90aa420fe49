using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using System.Text;

namespace VoicePlatform.Docs.Tests;

/// <summary>A link as written in a Markdown file, with its 1-based line.</summary>
public sealed record MarkdownLink(string Url, int Line);

/// <summary>
/// One Markdown file as GitHub shows it: the links it makes (inline, reference-style, images and autolinks; nothing
/// inside code) and the anchors its headings get.
/// </summary>
public sealed class MarkdownFile
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UsePreciseSourceLocation().Build();

    private MarkdownFile(IReadOnlyList<MarkdownLink> links, IReadOnlySet<string> anchors)
    {
        Links = links;
        Anchors = anchors;
    }

    public IReadOnlyList<MarkdownLink> Links { get; }

    public IReadOnlySet<string> Anchors { get; }

    public static MarkdownFile Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var links = new List<MarkdownLink>();
        foreach (var inline in document.Descendants<Inline>())
        {
            if (inline is LinkInline { Url: { } url } link) links.Add(new MarkdownLink(url, link.Line + 1));
            else if (inline is AutolinkInline { IsEmail: false } autolink) links.Add(new MarkdownLink(autolink.Url, autolink.Line + 1));
        }

        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            var slug = GitHubSlug.From(PlainText(heading.Inline));
            // GitHub numbers repeats: the second "Events" is #events-1.
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }
        return new MarkdownFile(links, anchors);
    }

    /// <summary>A heading's text as shown: code spans' content, links' and emphasis' text, no markup.</summary>
    private static string PlainText(ContainerInline? container)
    {
        var text = new StringBuilder();
        if (container is null) return "";
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal: text.Append(literal.Content.ToString()); break;
                case CodeInline code: text.Append(code.Content); break;
                case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); break;
                case ContainerInline child: text.Append(PlainText(child)); break;
            }
        }
        return text.ToString();
    }
}
