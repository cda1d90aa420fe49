using System.Buffers;

namespace VoicePlatform.Router.Providers.Gemini;

/// <summary>
/// The client messages a Gemini connection took after the state of its latest resumption handle, kept (pooled copies,
/// at most <c>limit</c>) so that a resume on a new connection can send them again: Gemini's restored state does not
/// have them. Each is remembered with its message index on the connection; a newer handle trims what it covers.
/// Used under the session's gate.
/// </summary>
public sealed class TransparentReplay(int limit)
{
    private readonly Queue<Entry> _entries = new();

    /// <summary>The newest message index the bounded queue had to drop (null when none was): a replay after an older handle is incomplete.</summary>
    public long? DroppedUpTo { get; private set; }

    /// <summary>Messages kept.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether every message after a handle that consumed up to <paramref name="consumedIndex"/> is still kept.</summary>
    public bool CompleteAfter(long consumedIndex) => DroppedUpTo is not { } dropped || dropped <= consumedIndex;

    /// <summary>Message <paramref name="index"/> of the connection went up: keep a copy.</summary>
    public void Remember(ReadOnlySpan<byte> json, long index)
    {
        var kind = json.IndexOf("\"activityStart\""u8) >= 0 || json.IndexOf("\"activityEnd\""u8) >= 0 ? Kind.Activity
            : json.StartsWith("{\"realtimeInput\":{\"audio\""u8) ? Kind.Audio
            : Kind.Content;
        var copy = ArrayPool<byte>.Shared.Rent(json.Length);
        json.CopyTo(copy);
        _entries.Enqueue(new Entry(index, copy, json.Length, kind));
        while (_entries.Count > limit && _entries.TryDequeue(out var dropped))
        {
            DroppedUpTo = dropped.Index;
            ArrayPool<byte>.Shared.Return(dropped.Buffer);
        }
    }

    /// <summary>A handle's state has every message up to <paramref name="consumedIndex"/> (null: it says nothing, so nothing is kept).</summary>
    public void Trim(long? consumedIndex)
    {
        while (_entries.TryPeek(out var entry) && (consumedIndex is null || entry.Index <= consumedIndex))
        {
            ArrayPool<byte>.Shared.Return(_entries.Dequeue().Buffer);
        }
    }

    /// <summary>
    /// Takes the kept messages for a new connection set up with or without server VAD: audio only with server VAD,
    /// activity signals only with manual turns, everything else always.
    /// </summary>
    public List<byte[]> Take(bool serverVad)
    {
        var result = new List<byte[]>();
        while (_entries.TryDequeue(out var entry))
        {
            var keep = entry.Kind switch
            {
                Kind.Activity => !serverVad,
                Kind.Audio => serverVad,
                _ => true,
            };
            if (keep)
            {
                result.Add(entry.Buffer.AsSpan(0, entry.Length).ToArray());
            }

            ArrayPool<byte>.Shared.Return(entry.Buffer);
        }

        return result;
    }

    /// <summary>Forgets everything (a new connection numbers its messages afresh).</summary>
    public void Clear()
    {
        DroppedUpTo = null;
        while (_entries.TryDequeue(out var entry))
        {
            ArrayPool<byte>.Shared.Return(entry.Buffer);
        }
    }

    private enum Kind
    {
        Audio,
        Activity,
        Content,
    }

    private readonly record struct Entry(long Index, byte[] Buffer, int Length, Kind Kind);
}
