namespace VoicePlatform.Docs.Tests;

/// <summary>A throw-away folder of Markdown files for testing the checker itself.</summary>
public sealed class ScratchRepository : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("voiceplatform-docs-").FullName;

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
