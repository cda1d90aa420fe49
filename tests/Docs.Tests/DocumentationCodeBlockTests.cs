using Xunit.Abstractions;

namespace VoicePlatform.Docs.Tests;

/// <summary>Every command or program shown in the README and docs/ runs in CI as written, or says why it does not.</summary>
public sealed class DocumentationCodeBlockTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_command_or_program_block_runs_in_ci_or_says_why_not()
    {
        var root = RepositoryRoot.Find();
        var files = DocumentedFiles(root);
        var rule = new CodeBlockRule(root);

        var blocks = rule.Blocks(files);
        foreach (var group in blocks.GroupBy(b => b.Kind))
            output.WriteLine($"{group.Key}: {group.Count()}\n" + string.Join("\n", group.Select(b => $"  {b.File}:{b.Line} [{b.Language}] {b.Note}")));
        var offences = rule.Offences(files);

        Assert.Contains(blocks, b => b.Kind == CodeBlockKind.RunInCi);
        Assert.True(offences.Count == 0, $"{offences.Count} code block(s) break the rule:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_rule_reports_unmarked_commands_and_markers_no_runner_names_and_accepts_run_marked_and_data_blocks()
    {
        using var repository = new ScratchRepository();
        repository.Write(Path.Combine(CodeBlockRule.RunnerDirectory, "docs.test.mjs"), "runDocBlock('README.md', 'tour');\n");
        repository.Write("README.md", """
            # Guide

            <!-- ci:tour -->
            ```bash
            curl http://127.0.0.1:5080/health
            ```

            <!-- not run in CI: needs a Kubernetes cluster -->
            ```bash
            kubectl apply -k infra/k8s/overlays/dev
            ```

            ```json
            {"ok": true}
            ```

            ```text
            RESOURCE  STATE
            ```

            ```bash
            vp models
            ```

            <!-- ci:renamed -->
            ```js
            console.log('hi');
            ```

            ```
            vp sessions
            ```

            <!-- not run in CI: -->
            ```sh
            echo no reason given
            ```

            - a list item:

              ```csharp
              Console.WriteLine("in a list");
              ```
            """);

        var rule = new CodeBlockRule(repository.Root);
        var offences = rule.Offences(["README.md"]);

        Assert.Collection(offences,
            o => Assert.StartsWith("README.md:21: a ```bash block is neither run in CI", o),
            o => Assert.StartsWith("README.md:26: a ```js block is marked ci:renamed, but no runner in", o),
            o => Assert.StartsWith("README.md:30: a block without a language is neither run in CI", o),
            o => Assert.StartsWith("README.md:35: a ```sh block is neither run in CI", o),
            o => Assert.StartsWith("README.md:41: a ```csharp block is neither run in CI", o));
        Assert.Equal(
            [CodeBlockKind.RunInCi, CodeBlockKind.NotRun, CodeBlockKind.Data, CodeBlockKind.Data],
            rule.Blocks(["README.md"]).Take(4).Select(b => b.Kind));
    }

    /// <summary>README.md and docs/**/*.md, relative to the root.</summary>
    private static List<string> DocumentedFiles(string root) =>
        ["README.md", Path.Combine("infra", "README.md"), .. Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
