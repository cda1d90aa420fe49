using System.Security.Cryptography;
using System.Text;

namespace VoicePlatform.RealtimeProtocol;

/// <summary>OpenAI Realtime-style ids: <c>event_…</c>, <c>item_…</c>, <c>resp_…</c>, <c>sess_…</c>, <c>call_…</c>.</summary>
public static class RealtimeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly byte[] AlphabetUtf8 = Encoding.ASCII.GetBytes(Alphabet);

    public static string New(string prefix) => string.Create(prefix.Length + 22, prefix, static (span, p) =>
    {
        p.AsSpan().CopyTo(span);
        span[p.Length] = '_';
        RandomNumberGenerator.GetItems(Alphabet, span[(p.Length + 1)..]);
    });

    /// <summary>Writes a fresh <c>event_…</c> id as UTF-8 into <paramref name="destination"/> (28 bytes), without allocating.</summary>
    public static ReadOnlySpan<byte> WriteEventId(Span<byte> destination)
    {
        "event_"u8.CopyTo(destination);
        Random.Shared.GetItems(AlphabetUtf8, destination.Slice(6, 22));
        return destination[..28];
    }
}
