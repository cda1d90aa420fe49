using System.CommandLine;
using VoicePlatform.Cli.Api;
using VoicePlatform.Cli.Configuration;

namespace VoicePlatform.Cli;

/// <summary>What a command's action gets: the parse result, where the gateway is, whether to print JSON, and the console.</summary>
public sealed class CommandContext(ParseResult parse, Func<ConnectionSettings> settings)
{
    private ConnectionSettings? _settings;

    public ParseResult Parse { get; } = parse;

    public ConnectionSettings Settings => _settings ??= settings();

    public bool Json => Parse.GetValue(GlobalOptions.Json);

    public TextWriter Out => Parse.InvocationConfiguration.Output;

    public TextWriter Error => Parse.InvocationConfiguration.Error;

    public PlatformApiClient TenantApi() => PlatformApiClient.ForTenant(Settings);

    /// <summary>Runs a command body: a <see cref="CliException"/> prints its message and gives its exit code.</summary>
    public static void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> body, Func<ParseResult, string?>? operatorKey = null) =>
        command.SetAction(async (parse, ct) =>
        {
            var context = new CommandContext(parse, () => ConnectionSettingsResolver.Resolve(parse, operatorKey?.Invoke(parse)));
            try
            {
                return await body(context, ct);
            }
            catch (CliException e)
            {
                await context.Error.WriteLineAsync($"vp: {e.Message}");
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 130; // interrupted (Ctrl-C), as shells report SIGINT
            }
        });
}
