using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using VoicePlatform.Recordings;

namespace VoicePlatform.Gateway.WarmUp;

/// <summary>
/// Where the warm-up's recordings go: memory, dropped with the warm-up, so the recorder's real code (parts, the WAV
/// assembly) runs without touching the configured store.
/// </summary>
internal sealed class InMemoryRecordingStore : IRecordingStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        _objects[key] = copy.ToArray();
    }

    public Task<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        if (!_objects.TryGetValue(key, out var bytes)) return Task.FromResult<Stream?>(null);
        var count = length ?? bytes.Length - offset;
        if (offset < 0 || count < 0 || offset + count > bytes.Length) throw new ArgumentOutOfRangeException(nameof(offset));
        return Task.FromResult<Stream?>(new MemoryStream(bytes, (int)offset, (int)count, writable: false));
    }

    public Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.TryGetValue(key, out var bytes) ? bytes.Length : (long?)null);

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(_objects.TryRemove(key, out _));

    public async IAsyncEnumerable<RecordingObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var key in _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (_objects.TryGetValue(key, out var bytes)) yield return new RecordingObjectInfo(key, bytes.Length);
        }
    }
}
