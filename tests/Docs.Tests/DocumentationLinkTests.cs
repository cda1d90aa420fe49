namespace VoicePlatform.Docs.Tests;

/// <summary>The README, the guides under docs/ and the infrastructure runbook link only to what exists.</summary>
public sealed class DocumentationLinkTests
{
    [Fact]
    public void Every_relative_link_and_anchor_resolves_and_every_external_link_is_well_formed()
    {
        var root = RepositoryRoot.Find();
        var files = DocumentedFiles(root);
        Assert.Contains("README.md", files);
        Assert.Contains(Path.Combine("docs", "realtime.md"), files);
        Assert.Contains(Path.Combine("infra", "README.md"), files);

        var broken = new LinkChecker(root).BrokenLinks(files);

        Assert.True(broken.Count == 0, $"{broken.Count} broken link(s):\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_checker_reports_a_missing_file_a_missing_anchor_and_a_malformed_url_and_accepts_good_links()
    {
        using var repository = new ScratchRepository();
        repository.Write("README.md", """
            # Guide

            ## Set-up (`vp`) & more
            ## Events
            ## Events

            [ok file](docs/a.md) [ok anchor](docs/a.md#second-part) [ok here](#set-up-vp--more) [repeat](#events-1)
            [ok folder](docs) [ok web](https://example.com/x?y=1#z) ![ok image](docs/a.md)
            [ref link][r]

            `[in code](nowhere.md)`

            ```
            [in a block](nowhere.md)
            ```

            [missing file](docs/missing.md)
            [missing anchor](docs/a.md#no-such-heading)
            [missing local anchor](#nope)
            [bad url](https://)

            [r]: docs/a.md#first
            """);
        repository.Write("docs/a.md", "# First\n\n## Second part\n");

        var broken = new LinkChecker(repository.Root).BrokenLinks(["README.md", Path.Combine("docs", "a.md")]);

        Assert.Collection(broken,
            b => Assert.StartsWith("README.md:17: docs/missing.md: no such file", b),
            b => Assert.StartsWith("README.md:18: docs/a.md#no-such-heading: no heading with anchor #no-such-heading", b),
            b => Assert.StartsWith("README.md:19: #nope: no heading with anchor #nope", b),
            b => Assert.StartsWith("README.md:20: https://: not a valid URL", b));
    }

    /// <summary>README.md, docs/**/*.md and infra/README.md, relative to the root.</summary>
    private static List<string> DocumentedFiles(string root) =>
        ["README.md", .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal), Path.Combine("infra", "README.md")];
}
