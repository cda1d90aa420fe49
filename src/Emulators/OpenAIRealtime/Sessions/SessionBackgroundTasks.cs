namespace VoicePlatform.Emulators.OpenAIRealtime.Sessions;

/// <summary>
/// The session's work that runs off its receive loop (paced responses, the cap and fault timers, the idle timeout,
/// the close handshake), kept so the session can wait for it before disposing what it uses.
/// </summary>
internal sealed class SessionBackgroundTasks
{
    private readonly List<Task> _tasks = [];

    public void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    /// <summary>Waits (at most 5 s) for the tracked work to stop after the session aborted.</summary>
    public async Task WaitAsync()
    {
        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
        }
    }
}
