using VoicePlatform.AppHost.Processes;
using VoicePlatform.AppHost.Resources;

namespace VoicePlatform.AppHost.Tests;

public class CrashingResourceTests
{
    private sealed class RecordingSink : ILogSink
    {
        public List<string> Lines { get; } = [];

        public void Line(string resource, string line, bool isError = false)
        {
            lock (Lines) Lines.Add($"{resource}|{line}");
        }
    }

    /// <summary>A resource whose process prints a line, runs a second, then exits with code 3.</summary>
    private sealed class CrashingResource(ILogSink sink) : PlatformResource("crasher", sink)
    {
        public override string DisplayAddress => "-";

        protected override IEnumerable<ProcessSpec> ProcessSpecs() =>
            [new ProcessSpec("crasher", "sh", ["-c", "echo last-words-$$; sleep 1; exit 3"])];

        public override Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => Task.FromResult(true);
    }

    [Fact]
    public async Task A_crashing_child_is_reported_restarted_once_then_failed_with_its_last_lines()
    {
        var sink = new RecordingSink();
        var resource = new CrashingResource(sink);
        var failed = new TaskCompletionSource();
        resource.Failed += _ => failed.TrySetResult();

        await resource.StartAsync(CancellationToken.None);
        Assert.Equal(ResourceState.Running, resource.State);
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ResourceState.Failed, resource.State);
        string[] lines;
        lock (sink.Lines) lines = sink.Lines.ToArray();
        Assert.Single(lines, l => l.Contains("exited unexpectedly with code 3; restarting it once"));
        Assert.Contains(lines, l => l.Contains("exited with code 3 and is not restarted again"));
        // Two runs, two different shells: both printed their line, and the failure report repeats the last one.
        Assert.Equal(2, lines.Count(l => l.StartsWith("crasher|last-words-")));
        Assert.Contains(lines, l => l.StartsWith("crasher|  last-words-"));
        await resource.StopAsync();
    }
}
