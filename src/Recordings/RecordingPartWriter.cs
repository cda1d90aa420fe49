using System.Buffers;

namespace VoicePlatform.Recordings;

/// <summary>
/// Collects finalised interleaved stereo PCM16 into one pooled part-sized buffer and stores each full buffer as
/// the next numbered part object. The manifest goes out before the first part so that any parts that exist can
/// always be assembled. Callers serialise access (the recorder's flush gate).
/// </summary>
internal sealed class RecordingPartWriter : IDisposable
{
    private readonly IRecordingStore _store;
    private readonly string _prefix;
    private readonly RecordingManifest _manifest;
    private byte[] _buffer;
    private int _filled;
    private bool _manifestSaved;

    public RecordingPartWriter(IRecordingStore store, string prefix, RecordingManifest manifest)
    {
        _store = store;
        _prefix = prefix;
        _manifest = manifest;
        _buffer = ArrayPool<byte>.Shared.Rent(manifest.PartBytes);
    }

    public int BytesPerFrame => _manifest.BytesPerFrame;
    public int FreeFrames => (_manifest.PartBytes - _filled) / _manifest.BytesPerFrame;
    public bool IsFull => _filled == _manifest.PartBytes;
    public bool IsEmpty => _filled == 0;
    public Span<byte> FreeSpace => _buffer.AsSpan(_filled, _manifest.PartBytes - _filled);
    public int BufferedBytes => _buffer.Length;

    /// <summary>Parts stored so far.</summary>
    public int PartsWritten { get; private set; }

    /// <summary>Frames stored in parts so far (excludes the buffer).</summary>
    public long FramesStored { get; private set; }

    public void Commit(int frames) => _filled += frames * _manifest.BytesPerFrame;

    /// <summary>Stores the buffered frames (if any) as the next part, even when the part is not full.</summary>
    public async Task StorePartAsync(CancellationToken cancellationToken)
    {
        if (_filled == 0)
            return;
        if (!_manifestSaved)
        {
            await _manifest.SaveAsync(_store, _prefix, cancellationToken).ConfigureAwait(false);
            _manifestSaved = true;
        }
        using (var content = new MemoryStream(_buffer, 0, _filled, writable: false))
            await _store.PutAsync(RecordingLayout.PartKey(_prefix, PartsWritten + 1), content, cancellationToken).ConfigureAwait(false);
        PartsWritten++;
        FramesStored += _filled / _manifest.BytesPerFrame;
        _filled = 0;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
