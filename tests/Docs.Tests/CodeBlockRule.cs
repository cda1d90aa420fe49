using Markdig;
using Markdig.Syntax;
using System.Text.RegularExpressions;

namespace VoicePlatform.Docs.Tests;

/// <summary>
/// The rule for code blocks in the documentation: a block that is a command or a program either runs in CI as written
/// (an HTML comment <c>&lt;!-- ci:NAME --&gt;</c> right before it, and NAME named in a runner under tests/sdk/platform,
/// which finds the block by that marker) or says why not (<c>&lt;!-- not run in CI: REASON --&gt;</c> right before it).
/// Output samples, payloads and configuration are written with a data language (<c>json</c>, <c>text</c>, <c>yaml</c>…);
/// a block without a language, or with one not known to be data, counts as a command.
/// </summary>
public sealed partial class CodeBlockRule(string root)
{
    /// <summary>Where the runners of <c>ci:</c> blocks live, relative to the root.</summary>
    public static readonly string RunnerDirectory = Path.Combine("tests", "sdk", "platform");

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UsePreciseSourceLocation().Build();

    /// <summary>Languages whose blocks are data to read, never something to run.</summary>
    private static readonly HashSet<string> DataLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        "text", "txt", "plaintext", "output", "json", "jsonc", "jsonl", "yaml", "yml", "toml", "ini", "xml", "csv", "vtt",
        "webvtt", "diff", "proto", "protobuf", "mermaid",
    };

    private readonly Lazy<string> _runnerSources = new(() => ReadRunnerSources(root));

    /// <summary>Every block of <paramref name="files"/> (relative to the root), classified.</summary>
    public IReadOnlyList<DocumentedCodeBlock> Blocks(IEnumerable<string> files)
    {
        var blocks = new List<DocumentedCodeBlock>();
        foreach (var file in files)
        {
            var document = Markdown.Parse(File.ReadAllText(Path.Combine(root, file)), Pipeline);
            foreach (var code in document.Descendants<CodeBlock>())
            {
                var language = code is FencedCodeBlock fenced ? fenced.Info?.Trim() ?? "" : "";
                blocks.Add(Classify(file, code.Line + 1, language, MarkerBefore(code)));
            }
        }
        return blocks;
    }

    /// <summary>The blocks that break the rule, as "file:line: why".</summary>
    public IReadOnlyList<string> Offences(IEnumerable<string> files) =>
        [.. Blocks(files).Where(b => b.Kind == CodeBlockKind.Offending).Select(b => $"{b.File}:{b.Line}: {b.Note}")];

    private DocumentedCodeBlock Classify(string file, int line, string language, string? marker)
    {
        var shown = language.Length == 0 ? "a block without a language" : $"a ```{language} block";
        if (marker is not null && CiMarker().Match(marker) is { Success: true } ci)
        {
            var name = ci.Groups["name"].Value;
            return _runnerSources.Value.Contains($"'{name}'", StringComparison.Ordinal)
                ? new(file, line, language, CodeBlockKind.RunInCi, name)
                : new(file, line, language, CodeBlockKind.Offending, $"{shown} is marked ci:{name}, but no runner in {RunnerDirectory} names '{name}'");
        }
        if (marker is not null && NotRunMarker().Match(marker) is { Success: true } notRun)
            return new(file, line, language, CodeBlockKind.NotRun, notRun.Groups["reason"].Value.Trim());
        if (DataLanguages.Contains(language.Split(' ')[0]))
            return new(file, line, language, CodeBlockKind.Data, language);
        return new(file, line, language, CodeBlockKind.Offending,
            $"{shown} is neither run in CI (<!-- ci:NAME --> before it, run by {RunnerDirectory}) nor marked <!-- not run in CI: why --> "
            + "(output, payloads and configuration: give it a data language such as text, json or yaml)");
    }

    /// <summary>The HTML comment right before the block in its container, if any.</summary>
    private static string? MarkerBefore(Block block)
    {
        if (block.Parent is not { } parent) return null;
        var index = parent.IndexOf(block);
        return index > 0 && parent[index - 1] is HtmlBlock html ? html.Lines.ToString().Trim() : null;
    }

    private static string ReadRunnerSources(string root)
    {
        var directory = Path.Combine(root, RunnerDirectory);
        if (!Directory.Exists(directory)) return "";
        return string.Join("\n", Directory.EnumerateFiles(directory, "*.mjs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
    }

    [GeneratedRegex(@"^<!--\s*ci:(?<name>[A-Za-z0-9_.-]+)\s*-->$")]
    private static partial Regex CiMarker();

    [GeneratedRegex(@"^<!--\s*not run in CI:(?<reason>\s*\S[\s\S]*?)-->$")]
    private static partial Regex NotRunMarker();
}

/// <summary>What the rule makes of a block.</summary>
public enum CodeBlockKind
{
    RunInCi,
    NotRun,
    Data,
    Offending,
}

/// <summary>One code block of a Markdown file (1-based line of its opening fence) and, by kind, its ci name, why it is not run, its data language or what is wrong.</summary>
public sealed record DocumentedCodeBlock(string File, int Line, string Language, CodeBlockKind Kind, string Note);
