namespace VoicePlatform.Cli.Tests.Infrastructure;

/// <summary>How a <c>vp</c> run ended and what it printed.</summary>
public sealed record VpResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
