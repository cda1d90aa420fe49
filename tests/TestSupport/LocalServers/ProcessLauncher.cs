using VoicePlatform.AppHost.Processes;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>
/// Starts child processes so they cannot outlive us, even if we are killed with SIGKILL (a crashed AppHost, a test
/// host killed after its run): each child runs under <c>setpriv --pdeathsig KILL</c>. The kernel sends that signal when
/// the thread that forked the child exits, so every child is forked from one dedicated thread that lives as long as
/// the process.
/// </summary>
public static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, Process Process, TaskCompletionSource Started)> Requests = new();

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "child-process-launcher" };
        thread.Start();
    }

    /// <summary>
    /// Wraps <paramref name="fileName"/> so the child dies with us, runs in its own session (a Ctrl-C in the terminal
    /// reaches only us, and we stop children in dependency order), and drops to <paramref name="runAs"/> if given.
    /// setsid and setpriv both exec in place, so the started process is the server itself.
    /// </summary>
    public static (string FileName, List<string> Arguments) Wrap(string fileName, IEnumerable<string> arguments, UnixUser? runAs)
    {
        var wrapped = new List<string> { "setpriv", "--pdeathsig", "KILL" };
        if (runAs is not null) wrapped.AddRange([$"--reuid={runAs.Uid}", $"--regid={runAs.Gid}", "--clear-groups"]);
        wrapped.Add("--");
        wrapped.Add(fileName);
        wrapped.AddRange(arguments);
        return ("setsid", wrapped);
    }

    /// <summary>Starts <paramref name="process"/> on the launcher thread.</summary>
    public static void Start(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process.StartInfo, process, started));
        started.Task.GetAwaiter().GetResult();
    }

    private static void Run()
    {
        foreach (var (_, process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                if (!process.Start()) throw new InvalidOperationException($"Could not start {process.StartInfo.FileName}");
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
