using System.Runtime.InteropServices;

namespace VoicePlatform.AppHost.Processes;

/// <summary>The few libc calls .NET's Process does not offer: sending a chosen signal, and asking whether we are root.</summary>
public static partial class PosixSignals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint SysGetEuid();

    public static bool Send(int pid, int signal) => SysKill(pid, signal) == 0;

    public static bool IsRoot => OperatingSystem.IsLinux() && SysGetEuid() == 0;
}
