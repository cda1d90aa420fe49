using VoicePlatform.AppHost.Processes;
namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>How to start one child process.</summary>
public sealed record ProcessSpec(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public Dictionary<string, string?> Environment { get; init; } = new();
    public string? WorkingDirectory { get; init; }

    /// <summary>Signal asking the process to stop gracefully (PostgreSQL wants SIGINT for a fast shutdown).</summary>
    public int StopSignal { get; init; } = PosixSignals.SIGTERM;

    /// <summary>Run as this unprivileged user (set only when we are root: PostgreSQL refuses to run as root).</summary>
    public UnixUser? RunAsUser { get; init; }
}
