namespace VoicePlatform.Cli.Api;

/// <summary>A failure the command reports to the user as one message, ending the process with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.UsageError, message);
}
