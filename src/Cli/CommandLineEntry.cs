using System.CommandLine;
using VoicePlatform.Cli.Api;

namespace VoicePlatform.Cli;

/// <summary>Parses and runs; a command line that does not parse prints why (and the help) and exits with <see cref="ExitCodes.UsageError"/>.</summary>
public static class CommandLineEntry
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync($"vp: {error.Message}");
            await Console.Error.WriteLineAsync($"Run 'vp {string.Join(' ', CommandPath(parse))} --help' for usage.".Replace("  ", " "));
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync();
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var command = parse.CommandResult; command.Parent is System.CommandLine.Parsing.CommandResult parent; command = parent)
            names.Push(command.Command.Name);
        return names;
    }
}
