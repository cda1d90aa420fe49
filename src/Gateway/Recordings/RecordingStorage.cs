using Microsoft.Extensions.Options;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>The recording store, when one is configured (<see cref="RecordingStorageOptions.Directory"/>).</summary>
public sealed class RecordingStorage(IOptions<RecordingStorageOptions> options)
{
    public IRecordingStore? Store { get; } =
        string.IsNullOrWhiteSpace(options.Value.Directory) ? null : new LocalDirectoryRecordingStore(options.Value.Directory);

    public RecordingStorageOptions Options => options.Value;
}
