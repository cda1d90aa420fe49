using System.Text.Json;

namespace VoicePlatform.Emulators.OpenAIRealtime.Protocol;

/// <summary>
/// Ids shaped like the real service's (<c>event_…</c>, <c>item_…</c>, <c>resp_…</c>; 21 base62 characters
/// after the prefix). A random per-generator stem plus a counter keeps them unique without per-id randomness,
/// and event ids are written straight into the JSON writer so audio deltas allocate no strings.
/// </summary>
internal sealed class IdGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int StemLength = 10;
    private const int CounterLength = 11;

    private readonly byte[] _stem = new byte[StemLength];
    private long _counter;

    public IdGenerator()
    {
        for (var i = 0; i < StemLength; i++)
        {
            _stem[i] = (byte)Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    }

    /// <summary>Shared generator for ids that outlive a session (client secrets).</summary>
    public static IdGenerator Shared { get; } = new();

    public string Next(string prefix)
    {
        Span<byte> buffer = stackalloc byte[StemLength + CounterLength];
        Fill(buffer);
        return string.Concat(prefix, "_", System.Text.Encoding.ASCII.GetString(buffer));
    }

    public void WriteEventId(Utf8JsonWriter writer)
    {
        Span<byte> buffer = stackalloc byte[6 + StemLength + CounterLength];
        "event_"u8.CopyTo(buffer);
        Fill(buffer[6..]);
        writer.WriteString("event_id"u8, buffer);
    }

    private void Fill(Span<byte> destination)
    {
        _stem.CopyTo(destination);
        // Scramble the counter so consecutive ids do not share a long common tail; multiplying by an odd
        // constant is a bijection modulo 2^64, so ids stay unique.
        var value = (ulong)Interlocked.Increment(ref _counter) * 0x9E3779B97F4A7C15UL;
        for (var i = destination.Length - 1; i >= StemLength; i--)
        {
            destination[i] = (byte)Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }
}
