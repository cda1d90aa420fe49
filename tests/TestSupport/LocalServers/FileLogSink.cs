namespace VoicePlatform.TestSupport.LocalServers;

/// <summary>Writes every resource's lines to one file (used by test fixtures, whose console is not a terminal).</summary>
public sealed class FileLogSink : ILogSink, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public FileLogSink(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Line(string resource, string line, bool isError = false)
    {
        lock (_gate) _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {resource,-14}| {(isError ? "ERROR " : "")}{line}");
    }

    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}
