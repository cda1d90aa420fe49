namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>Where child processes' log lines and the orchestrator's own messages go.</summary>
public interface ILogSink
{
    void Line(string resource, string line, bool isError = false);
}
