namespace VoicePlatform.Docs.Tests;

/// <summary>
/// Checks the links of Markdown files in a repository: a relative link must name a file or folder that exists and,
/// with <c>#anchor</c>, a heading of that Markdown file (GitHub's slugs); an external link (<c>http(s)://</c>,
/// <c>mailto:</c>) is only checked for syntax, never fetched.
/// </summary>
public sealed class LinkChecker(string repositoryRoot)
{
    private readonly Dictionary<string, MarkdownFile> _parsed = new(StringComparer.Ordinal);

    /// <summary>Every broken link of the files (paths relative to the root), as "file:line: url: why".</summary>
    public IReadOnlyList<string> BrokenLinks(IEnumerable<string> files)
    {
        var broken = new List<string>();
        foreach (var file in files)
        {
            foreach (var link in Load(Path.Combine(repositoryRoot, file)).Links)
            {
                if (Problem(file, link.Url) is { } problem) broken.Add($"{file}:{link.Line}: {link.Url}: {problem}");
            }
        }
        return broken;
    }

    private string? Problem(string file, string url)
    {
        if (url.Length == 0) return "empty link";
        var scheme = url.IndexOf(':') is > 1 and var colon ? url[..colon] : null;
        if (scheme is not null && !scheme.Contains('/'))
        {
            if (scheme is "http" or "https")
                return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && !url.Contains(' ') ? null : "not a valid URL";
            if (scheme == "mailto") return url.Length > "mailto:".Length && url.Contains('@') ? null : "not a valid mailto: link";
            return $"unexpected scheme '{scheme}'";
        }

        var hash = url.IndexOf('#');
        var pathPart = Uri.UnescapeDataString(hash < 0 ? url : url[..hash]);
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(url[(hash + 1)..]);
        var source = Path.Combine(repositoryRoot, file);
        var target = pathPart.Length == 0 ? source
            : pathPart.StartsWith('/') ? Path.GetFullPath(Path.Combine(repositoryRoot, pathPart.TrimStart('/')))
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, pathPart));

        if (!target.StartsWith(Path.GetFullPath(repositoryRoot), StringComparison.Ordinal)) return "points outside the repository";
        if (!File.Exists(target) && !Directory.Exists(target)) return "no such file or folder";
        if (anchor is null) return null;
        if (!target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(target)) return "an anchor into a file that is not Markdown";
        return Load(target).Anchors.Contains(anchor) ? null : $"no heading with anchor #{anchor} in {Path.GetRelativePath(repositoryRoot, target)}";
    }

    private MarkdownFile Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!_parsed.TryGetValue(full, out var parsed))
            _parsed[full] = parsed = MarkdownFile.Parse(File.ReadAllText(full));
        return parsed;
    }
}
