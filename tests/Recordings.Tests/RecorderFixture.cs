namespace VoicePlatform.Recordings.Tests;

/// <summary>A real local store in a temp directory plus helpers to read back what a recorder produced.</summary>
internal sealed class RecorderFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public RecorderFixture() => Store = new LocalDirectoryRecordingStore(_directory.Path);

    public LocalDirectoryRecordingStore Store { get; }
    public string Root => _directory.Path;
    public string Prefix { get; } = RecordingLayout.SessionPrefix("tenant-a", "sess_" + Guid.NewGuid().ToString("N"));

    public StereoCallRecorder CreateRecorder(RecordingOptions? options = null) => new(Store, Prefix, options);

    public string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));

    public WavFile ReadWav(RecordingResult result) => WavFile.Read(PathOf(result.Key));

    public string[] PartKeys() =>
        Directory.Exists(PathOf(Prefix))
            ? Directory.GetFiles(PathOf(Prefix), "part-*.pcm").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray()
            : [];

    public void Dispose() => _directory.Dispose();
}
