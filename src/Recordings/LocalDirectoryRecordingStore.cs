using System.Runtime.CompilerServices;

namespace VoicePlatform.Recordings;

/// <summary>
/// <see cref="IRecordingStore"/> on a local directory: key <c>a/b/c.wav</c> is the file <c>{root}/a/b/c.wav</c>.
/// Writes go to a dot-named temporary file in the target directory, are fsynced, then renamed over the target,
/// so a crash or a concurrent reader never sees a half-written object (rename is atomic within one filesystem).
/// Dot-named files are never valid keys, so leftover temporaries are invisible to listings.
/// </summary>
public sealed class LocalDirectoryRecordingStore : IRecordingStore
{
    private const int CopyBufferSize = 81920;
    private readonly string _root;

    public LocalDirectoryRecordingStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        Directory.CreateDirectory(_root);
    }

    public string RootDirectory => _root;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize))
            {
                await content.CopyToAsync(file, CopyBufferSize, cancellationToken).ConfigureAwait(false);
                // Durable before it becomes visible: a recording part that exists must hold its bytes after a power loss.
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            // FileShare.Delete: retention may delete a recording while it is being streamed; the reader keeps its bytes.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        try
        {
            var size = file.Length;
            var rangeLength = ObjectRange.Check(offset, length, size);
            if (offset == 0 && rangeLength == size)
                return Task.FromResult<Stream?>(file);
            return Task.FromResult<Stream?>(new RangeReadStream(file, offset, rangeLength));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Task<long?> GetSizeAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
            return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<RecordingObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RecordingObjectKey.ValidatePrefix(prefix);
        // Only the directory named by the prefix's complete segments needs walking.
        var lastSlash = prefix.LastIndexOf('/');
        var directory = lastSlash < 0 ? _root : Path.Combine(_root, prefix[..lastSlash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(directory))
            yield break;

        var found = new List<RecordingObjectInfo>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && RecordingObjectKey.IsValid(key))
                found.Add(new RecordingObjectInfo(key, file.Length));
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var item in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string PathOf(string key)
    {
        RecordingObjectKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        // Defence in depth: validation already excludes "..", rooted and odd-character keys.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Recording object key '{key}' escapes the store root.", nameof(key));
        return path;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
