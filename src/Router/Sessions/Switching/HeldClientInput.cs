using System.Buffers;

namespace VoicePlatform.Router.Sessions.Switching;

/// <summary>
/// Client frames that arrived while a provider connection was being replaced, in order, in one reused buffer: the
/// connection that takes over gets them first (or, if the switch is abandoned, the one that stays).
/// </summary>
public sealed class HeldClientInput
{
    private readonly ArrayBufferWriter<byte> _data = new(16 * 1024);
    private readonly List<HeldFrame> _frames = [];

    public IReadOnlyList<HeldFrame> Frames => _frames;

    public void Hold(ReadOnlySpan<byte> data, bool isAudio, string? eventId)
    {
        var offset = _data.WrittenCount;
        data.CopyTo(_data.GetSpan(data.Length));
        _data.Advance(data.Length);
        _frames.Add(new HeldFrame(offset, data.Length, isAudio, eventId));
    }

    /// <summary>The bytes of <paramref name="frame"/> (valid until <see cref="Clear"/>).</summary>
    public ReadOnlyMemory<byte> Data(HeldFrame frame) => _data.WrittenMemory.Slice(frame.Offset, frame.Length);

    /// <summary>Forgets the first <paramref name="count"/> frames (those sent); the others keep their data.</summary>
    public void RemoveFirst(int count)
    {
        _frames.RemoveRange(0, count);
        if (_frames.Count == 0) _data.ResetWrittenCount();
    }

    public void Clear()
    {
        _frames.Clear();
        _data.ResetWrittenCount();
    }
}

/// <summary>One held frame: audio (the provider's input format) or a client event as the client sent it.</summary>
public readonly record struct HeldFrame(int Offset, int Length, bool IsAudio, string? EventId);
