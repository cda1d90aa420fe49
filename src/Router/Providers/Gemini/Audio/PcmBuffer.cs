using System.Buffers;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>A growable byte buffer on pooled arrays (manual-turn audio, the latest spoken turn).</summary>
internal sealed class PcmBuffer : IDisposable
{
    private byte[] _array = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > _array.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + data.Length, Math.Max(_array.Length * 2, 32 * 1024)));
            _array.AsSpan(0, Length).CopyTo(bigger);
            Release();
            _array = bigger;
        }

        data.CopyTo(_array.AsSpan(Length));
        Length += data.Length;
    }

    public void TruncateTo(int length) => Length = Math.Clamp(length, 0, Length);

    /// <summary>Drops the oldest <paramref name="count"/> bytes, keeping the rest in order.</summary>
    public void DropFront(int count)
    {
        count = Math.Clamp(count, 0, Length);
        _array.AsSpan(count, Length - count).CopyTo(_array);
        Length -= count;
    }

    public void Clear() => Length = 0;

    public void Dispose()
    {
        Release();
        _array = [];
        Length = 0;
    }

    private void Release()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
    }
}
