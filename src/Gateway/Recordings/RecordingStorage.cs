using Microsoft.Extensions.Options;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.Recordings;

/// <summary>
/// The recording store, when one is configured: an S3-compatible bucket (<see cref="RecordingStorageOptions.S3"/>) or
/// a local directory (<see cref="RecordingStorageOptions.Directory"/>).
/// </summary>
public sealed class RecordingStorage(IOptions<RecordingStorageOptions> options) : IDisposable
{
    public IRecordingStore? Store { get; } = RecordingStoreSelection.Create(options.Value.Directory, options.Value.S3);

    public RecordingStorageOptions Options => options.Value;

    public void Dispose() => (Store as IDisposable)?.Dispose();
}
