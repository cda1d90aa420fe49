namespace VoicePlatform.Emulators.GeminiLive.Recording;

/// <summary>
/// One appended chunk and, through <see cref="Previous"/>, everything before it: an immutable prefix of a
/// session's input audio. A resumption snapshot keeps the mark it was frozen at, so resuming with any valid
/// handle (even an older one after another resumption) restores exactly the audio that state had consumed.
/// </summary>
internal sealed class InputAudioMark
{
    public static readonly InputAudioMark Empty = new(null, ReadOnlyMemory<byte>.Empty, 0);

    private InputAudioMark(InputAudioMark? previous, ReadOnlyMemory<byte> stored, long consumed)
    {
        Previous = previous;
        Stored = stored;
        Consumed = consumed;
        StoredTotal = (previous?.StoredTotal ?? 0) + stored.Length;
    }

    public InputAudioMark? Previous { get; }

    /// <summary>The part of this chunk that is kept (all of it, unless the per-session cap cut it).</summary>
    public ReadOnlyMemory<byte> Stored { get; }

    /// <summary>Bytes of input audio consumed up to and including this chunk, kept or not.</summary>
    public long Consumed { get; }

    /// <summary>Bytes kept up to and including this chunk.</summary>
    public long StoredTotal { get; }

    public bool Truncated => Consumed > StoredTotal;

    /// <summary>Appends a chunk; bytes beyond <paramref name="maxBytes"/> are counted but not kept.</summary>
    public InputAudioMark Append(ReadOnlyMemory<byte> pcm, long maxBytes)
    {
        var room = (int)Math.Clamp(maxBytes - StoredTotal, 0, pcm.Length);
        return new InputAudioMark(this, pcm[..room], Consumed + pcm.Length);
    }

    /// <summary>The kept audio from the session start to this mark, in order.</summary>
    public byte[] ToArray()
    {
        var result = new byte[StoredTotal];
        var end = result.Length;
        for (var mark = this; mark is not null; mark = mark.Previous)
        {
            end -= mark.Stored.Length;
            mark.Stored.Span.CopyTo(result.AsSpan(end));
        }

        return result;
    }
}
